import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { Page } from 'playwright-core';
import { SearchEngine } from '../../src/engine';
import { createApp } from '../../src/server/app';
import { RunningServer, startServer, stopServer } from '../../src/server/serve';
import { ROOT, demoEngine, doc } from '../helpers';
import { Browser, CHROMIUM, chromiumAvailable, launchChromium } from './chromium';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const FANGTE_ID = '000_2cd9194f99e4ed8d-10';
const HOSTILE = '<img src=x onerror="window.__pwned=1"><b>粗体</b>';

/** Serves an engine on a free loopback port, logging nothing. */
function serve(engine: SearchEngine): Promise<RunningServer> {
  return startServer(createApp(engine, { logger: pino({ level: 'silent' }) }), 0, '127.0.0.1');
}

const available = chromiumAvailable();
if (!available && process.env.CI !== 'true') {
  process.stderr.write(
    `\n${'!'.repeat(78)}\n!! SKIPPING the browser tests: no Chromium at ${CHROMIUM}.\n` +
      `!! Install it with: apt-get update && apt-get install -y chromium   (CI=true makes this a failure)\n${'!'.repeat(78)}\n\n`,
  );
}

(available || process.env.CI === 'true' ? describe : describe.skip)('the search page in Chromium', () => {
  let browser: Browser;
  let demo: RunningServer;
  let hostile: RunningServer;
  /** A JSON Lines archive: records with their own category, source and date fields. */
  let records: RunningServer;
  let page: Page;
  /** Values of q sent to /api/search, in order. */
  let searched: string[];
  /** Uncaught errors and console errors (a CSP violation is one). */
  let problems: string[];

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    demo = await serve(demoEngine());
    hostile = await serve(SearchEngine.build([doc('x-1', `危险标题${HOSTILE}`, `正文里也有${HOSTILE}和 & 符号`, { reporters: [`<i>记者</i>`] })]));
    const record = (id: string, title: string, body: string, date: string, category: string): ReturnType<typeof doc> =>
      doc(id, title, body, { source: 'news-dev.jsonl.gz', date, fields: { category, source: 'sina-news-2018', note: '长'.repeat(41) } });
    records = await serve(
      SearchEngine.build([
        record('r-1', '女排主场三比零取胜', '女排姑娘们在主场以三比零取胜。', '2018-11-09', '体育'),
        record('r-2', '女排名单公布', '新一期女排集训名单公布。', '2018-12-01', '体育'),
        record('r-3', '女排世锦赛小组赛收官：中国女排全胜晋级', '中国女排晋级复赛。', '2018-10-05', '体育'),
      ]),
    );
    browser = await launchChromium();
    page = await browser.context.newPage();
    searched = [];
    problems = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/search') searched.push(url.searchParams.get('q') ?? '');
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (demo) await stopServer(demo.server);
    if (hostile) await stopServer(hostile.server);
    if (records) await stopServer(records.server);
  });

  const results = () => page.locator('#results > li');
  const titles = () => page.locator('#results .hit-title').allTextContents();
  const query = () => new URL(page.url()).searchParams;

  it('welcomes an empty query, then searches once when the input method commits 方特', async () => {
    await page.goto(`${demo.address.url}/`);
    await page.locator('#message', { hasText: '输入文字开始搜索' }).waitFor();
    expect(await page.locator('#q').getAttribute('role')).toBe('combobox');

    // Pinyin input: the IME shows "fang", "fangte" in the box, then commits 方特.
    await page.locator('#q').focus();
    const cdp = await browser.context.newCDPSession(page);
    for (const text of ['f', 'fang', 'fangt', 'fangte']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await page.waitForTimeout(120);
    }
    await page.waitForTimeout(400);
    expect(await page.locator('#q').inputValue()).toBe('fangte');
    expect(searched).toEqual([]);
    await cdp.send('Input.insertText', { text: '方特' });

    await page.locator('#results .hit-title mark', { hasText: '方特' }).waitFor();
    expect(searched).toEqual(['方特']);
    expect(await titles()).toEqual(['郑州方特开启暑期亲子游']);
    expect(await page.locator('#summary').textContent()).toMatch(/^共 1 条结果（[\d.]+ 毫秒）$/);
    expect(await page.locator('#results .snippet mark').first().textContent()).toBe('方特');
    expect(await page.locator('#results .meta').first().textContent()).toContain('记者 卢文军');
    expect(query().get('q')).toBe('方特');

    // The score shows on hover.
    const score = page.locator('#results .score').first();
    expect(await score.isVisible()).toBe(false);
    await results().first().hover();
    expect(await score.textContent()).toMatch(/^相关度 \d+\.\d{4}$/);
    expect(await score.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: path.join(ARTIFACTS, 'results-desktop.png'), fullPage: true });
  });

  it('offers suggestions that the keyboard and the mouse can pick', async () => {
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially('二七');
    const listbox = page.locator('#suggestions');
    await listbox.locator('[role="option"]', { hasText: '二七区党建' }).waitFor();
    expect(await page.locator('#q').getAttribute('aria-expanded')).toBe('true');
    expect(await listbox.locator('.suggestion-text').allTextContents()).toEqual(['二七', '二七区', '二七区党建引领提高基层治理水平', '二七区新时代文明实践中心在西彩社区开展“健康文明社区行”志愿服务活动']);

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#q').getAttribute('aria-activedescendant')).toBe('suggestion-1');
    expect(await listbox.locator('[aria-selected="true"]').textContent()).toContain('二七区');
    await page.keyboard.press('Escape');
    expect(await listbox.isVisible()).toBe(false);
    expect(await page.locator('#q').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');

    await page.waitForURL((url) => url.searchParams.get('q') === '二七区');
    expect(await page.locator('#q').inputValue()).toBe('二七区');
    expect(await listbox.isVisible()).toBe(false);
    await page.locator('#summary', { hasText: '共 2 条结果' }).waitFor();
    expect((await titles()).sort()).toEqual(['二七区党建引领提高基层治理水平', '二七区新时代文明实践中心在西彩社区开展“健康文明社区行”志愿服务活动']);

    // The mouse: type, click a title suggestion.
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially('暑期');
    await listbox.locator('[role="option"]', { hasText: '郑州方特开启暑期亲子游' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === '郑州方特开启暑期亲子游');
    await page.locator('#results .hit-title', { hasText: '郑州方特开启暑期亲子游' }).first().waitFor();
    expect(await page.locator('#q').inputValue()).toBe('郑州方特开启暑期亲子游');
  });

  it('filters with a facet, opens the article, and goes Back to the filtered results', async () => {
    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('二七区')}`);
    await page.locator('#summary', { hasText: '共 2 条结果' }).waitFor();
    const photo = page.locator('.facet-value[data-field="kind"][data-value="photo"]');
    expect(await photo.textContent()).toBe('图片1');
    expect(await page.locator('.facet-value[data-field="reporter"]').allTextContents()).toEqual(['刘伟平2']);
    await photo.click();
    await page.waitForURL((url) => url.searchParams.getAll('filter').join() === 'kind:photo');
    await page.locator('#summary', { hasText: '共 1 条结果' }).waitFor();
    expect(await titles()).toEqual(['二七区新时代文明实践中心在西彩社区开展“健康文明社区行”志愿服务活动']);
    expect(await photo.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#active-filters .chip').allTextContents()).toEqual(['类型: 图片×']);

    await page.locator('#results .hit-title a').first().click();
    await page.waitForURL((url) => url.pathname === `/doc/${encodeURIComponent('000_2cd9194f99e4ed8d-11')}`);
    await page.locator('#doc-title', { hasText: '二七区新时代文明实践中心' }).waitFor();
    expect(await page.locator('#doc-title mark').allTextContents()).toEqual(['二七区']);
    expect(await page.locator('#doc-body p').count()).toBe(1);
    expect(await page.locator('#doc-body mark').allTextContents()).toEqual(['二七区']);
    expect(await page.locator('#back').getAttribute('href')).toBe(`/?q=${encodeURIComponent('二七区')}&filter=kind%3Aphoto`);

    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('filter') === 'kind:photo');
    await page.locator('#summary', { hasText: '共 1 条结果' }).waitFor();
    expect(await photo.getAttribute('aria-pressed')).toBe('true');

    // The article's own link back, and a removed filter.
    await page.goForward();
    await page.locator('#doc-title', { hasText: '二七区新时代文明实践中心' }).waitFor();
    await page.locator('#back').click();
    await page.locator('#summary', { hasText: '共 1 条结果' }).waitFor();
    await page.locator('#active-filters .chip').click();
    await page.locator('#summary', { hasText: '共 2 条结果' }).waitFor();
    expect(query().getAll('filter')).toEqual([]);
  });

  it('pages through results with the page in the URL, and Back returns to page 1', async () => {
    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('记者')}`);
    await page.locator('#summary', { hasText: '共 11 条结果' }).waitFor();
    expect(await results().count()).toBe(10);
    expect(await page.locator('#pager .page-number').textContent()).toBe('第 1 / 2 页');
    await page.locator('#pager a[rel="next"]').click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await page.locator('#pager .page-number', { hasText: '第 2 / 2 页' }).waitFor();
    expect(await results().count()).toBe(1);
    expect(await page.locator('#results').getAttribute('start')).toBe('11');
    await page.goBack();
    await page.locator('#pager .page-number', { hasText: '第 1 / 2 页' }).waitFor();
    expect(await results().count()).toBe(10);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('社区')}`);
    await page.locator('#results .hit').first().waitFor();
    expect(await page.locator('#facets-panel').getAttribute('open')).toBeNull();
    await page.screenshot({ path: path.join(ARTIFACTS, 'results-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('finds 方特 from pinyin typed in Latin letters; shows 方特 at once for 放特, which finds nothing, with 放特 a link away', async () => {
    await page.goto(`${demo.address.url}/`);
    await page.locator('#q').pressSequentially('fangte');
    await page.locator('#results .hit-title mark', { hasText: '方特' }).waitFor();
    expect(await page.locator('#hints .expansion').allTextContents()).toEqual(['也搜索了：fangte → 方特 (fang te) · 拼音']);

    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('放特')}`);
    await page.locator('#results .hit-title', { hasText: '郑州方特开启暑期亲子游' }).waitFor();
    expect(await page.locator('#hints .corrected').textContent()).toBe('已显示“方特”的结果。仍然搜索：放特');
    expect(await page.locator('#q').inputValue()).toBe('放特');
    expect(await page.locator('#hints .did-you-mean').count()).toBe(0);
    await page.locator('#hints .corrected a').first().click();
    await page.waitForURL((url) => url.searchParams.get('as_typed') === '1' && url.searchParams.get('q') === '放特');
    await page.locator('#hints .did-you-mean').waitFor();
    expect(await results().count()).toBe(0);
    expect(await page.locator('#hints .did-you-mean').textContent()).toBe('您要找的是：方特？');
    await page.locator('#hints .did-you-mean a', { hasText: '方特' }).first().click();
    await page.waitForURL((url) => url.searchParams.get('q') === '方特');
    await page.locator('#results .hit-title', { hasText: '郑州方特开启暑期亲子游' }).waitFor();
    expect(await page.locator('#q').inputValue()).toBe('方特');
    expect(await page.locator('#hints').isVisible()).toBe(false);
  });

  it('shows a long query as one list: the literal matches counted and first, related hits marked, copies folded under their hit', async () => {
    const news = await serve(
      SearchEngine.build([
        doc('n-1', '女排世锦赛小组赛收官', '女排世锦赛小组赛收官：中国女排全胜晋级复赛，朱婷得到全场最高分。'),
        doc('n-2', '女排名单公布', '世锦赛前，新一期中国女排集训名单公布，朱婷领衔，袁心玥、张常宁、李盈莹入选。小组赛将在横滨进行，中国女排的目标是小组赛全胜晋级，主教练郎平表示球队状态良好，队员们正在北仑基地进行最后阶段的封闭训练。'),
        doc('n-3', '女排名单公布（转载）', '世锦赛前，新一期中国女排集训名单公布，朱婷领衔，袁心玥、张常宁、李盈莹入选。小组赛将在横滨进行，中国女排的目标是小组赛全胜晋级，主教练郎平表示球队状态良好，队员们正在北仑基地进行最后阶段的封闭训练。'),
      ]),
    );
    try {
      await page.goto(`${news.address.url}/?q=${encodeURIComponent('女排世锦赛小组赛收官：中国女排全胜晋级')}`);
      await page.locator('#summary', { hasText: '条完全匹配' }).waitFor();
      expect(await page.locator('#summary').textContent()).toContain('1 条完全匹配 · 1 条相关');
      expect(await titles()).toEqual(['女排世锦赛小组赛收官', expect.stringMatching(/^女排名单公布/)]);
      expect(await page.locator('#results > li').first().locator('.related-badge').count()).toBe(0);
      expect(await page.locator('#results > li').nth(1).locator('.related-badge').textContent()).toBe('相关');
      const copies = page.locator('#results > li').nth(1).locator('.copies');
      expect(await copies.locator('summary').textContent()).toBe('另有 1 篇相同报道');
      await copies.locator('summary').click();
      expect(await copies.locator('a').count()).toBe(1);
    } finally {
      await stopServer(news.server);
    }
  });

  it('says clearly when nothing is found, the server fails, or an article does not exist', async () => {
    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('量子计算机')}`);
    await page.locator('#message', { hasText: '没有找到与“量子计算机”相关的结果' }).waitFor();
    expect(await page.locator('#message').textContent()).toBe('没有找到与“量子计算机”相关的结果。试试更短或别的词语。');
    expect(await results().count()).toBe(0);

    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('"')}`);
    await page.locator('#message', { hasText: '无法执行这个查询：' }).waitFor();

    await page.route('**/api/search?*', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal error"}' }));
    await page.goto(`${demo.address.url}/?q=${encodeURIComponent('方特')}`);
    await page.locator('#message.error', { hasText: '服务器出错了' }).waitFor();
    expect(await page.locator('#message').textContent()).toBe('服务器出错了，请稍后再试。');
    await page.unroute('**/api/search?*');

    const missing = await page.goto(`${demo.address.url}/doc/no-such-id`);
    expect(missing?.status()).toBe(404);
    await page.locator('#message', { hasText: '找不到这篇文章' }).waitFor();
    expect(await page.locator('#message').textContent()).toBe('找不到这篇文章，链接可能有误。');
    // The message and the way back line up, on a wide screen as on a phone.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      const [message, back] = await Promise.all([page.locator('#message').boundingBox(), page.locator('#back').boundingBox()]);
      expect(Math.abs(message!.x - back!.x)).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`${demo.address.url}/doc/${FANGTE_ID}`);
    await page.locator('#doc-title', { hasText: '郑州方特开启暑期亲子游' }).waitFor();
    expect(await page.locator('#doc-body mark').count()).toBe(0);
    expect(await page.locator('#back').textContent()).toBe('← 返回搜索');
  });

  it("labels a JSON Lines record's hits and article with its own fields, not the archive's file name", async () => {
    await page.goto(`${records.address.url}/?q=${encodeURIComponent('女排')}`);
    await page.locator('#results .hit').nth(1).waitFor();
    const hit = page.locator('#results .hit', { hasText: '女排主场三比零取胜' });
    expect(await hit.locator('.meta .byline').allTextContents()).toEqual(['分类 体育', '来源 sina-news-2018', '2018-11-09']);
    expect(await page.locator('#results .meta .badge').count()).toBe(0);
    expect(await page.locator('#results').textContent()).not.toContain('jsonl');
    await hit.locator('.hit-title a').click();
    await page.locator('#doc-title', { hasText: '女排主场三比零取胜' }).waitFor();
    expect(await page.locator('#doc-meta .byline').allTextContents()).toEqual(['分类 体育', '来源 sina-news-2018', '2018-11-09']);
    expect(await page.locator('#doc-meta').textContent()).not.toMatch(/jsonl|undefined|文章/);
  });

  it('on a phone, shows the whole placeholder, and typeahead titles on up to two lines rather than cut short', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${records.address.url}/`);
      const box = page.locator('#q');
      // The placeholder's width in the box's font, against the room inside the box (run in the page, which has a DOM).
      const fits = await box.evaluate((input) => {
        const style = input.ownerDocument.defaultView!.getComputedStyle(input);
        const context = input.ownerDocument.createElement('canvas').getContext('2d')!;
        context.font = `${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { text: context.measureText(input.getAttribute('placeholder') ?? '').width, room };
      });
      expect(fits.text).toBeGreaterThan(0);
      expect(fits.text).toBeLessThanOrEqual(fits.room);
      await box.pressSequentially('女排世锦赛');
      const title = page.locator('.suggestion.title .suggestion-text', { hasText: '女排世锦赛小组赛收官' });
      await title.waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'typeahead-phone.png') });
      // 19 characters: more than one line of the list holds on a phone, less than two.
      const clipped = await title.evaluate((node) => ({ width: node.scrollWidth > node.clientWidth, height: node.scrollHeight > node.clientHeight }));
      expect(clipped).toEqual({ width: false, height: false });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('shows markup from a document as text, never as HTML', async () => {
    await page.goto(`${hostile.address.url}/?q=${encodeURIComponent('危险')}`);
    await page.locator('#results .hit').first().waitFor();
    expect(await page.locator('#results .hit-title').textContent()).toBe(`危险标题${HOSTILE}`);
    expect(await page.locator('#results .meta').textContent()).toContain('记者 <i>记者</i>');
    expect(await page.locator('#results img, #results b, #results i').count()).toBe(0);

    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially('粗体');
    await page.locator('#suggestions [role="option"]', { hasText: '危险标题' }).waitFor();
    expect(await page.locator('#suggestions .suggestion-text').allTextContents()).toContain(`危险标题${HOSTILE}`);
    expect(await page.locator('#suggestions img, #suggestions b').count()).toBe(0);

    await page.goto(`${hostile.address.url}/doc/x-1?q=${encodeURIComponent('粗体')}`);
    await page.locator('#doc-body mark', { hasText: '粗体' }).waitFor();
    expect(await page.locator('#doc-body').textContent()).toBe(`正文里也有${HOSTILE}和 & 符号`);
    expect(await page.locator('#doc-view img, #doc-view b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    // The 500 and 404 answers provoked above are logged by Chromium as failed loads; nothing else may be.
    expect(problems.filter((text) => !/Failed to load resource: the server responded with a status of (500|404|400)/.test(text))).toEqual([]);
  });
});
