import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { Page } from 'playwright-core';
import { SearchEngine } from '../../src/engine';
import { createApp } from '../../src/server/app';
import { RunningServer, startServer, stopServer } from '../../src/server/serve';
import { ROOT, doc } from '../helpers';
import { Browser, CHROMIUM, chromiumAvailable, collectProblems, launchChromium } from './chromium';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

/** A JSON Lines archive in miniature: records with a category and a date, one with a subtitle; 方特 has the synonym 方特梦幻王国. */
function archive(): SearchEngine {
  const record = (id: string, title: string, body: string, date: string, category: string, subtitle?: string): ReturnType<typeof doc> =>
    doc(id, title, body, { source: 'news.jsonl', date, fields: { category }, ...(subtitle ? { subtitle } : {}) });
  return SearchEngine.build(
    [
      record('s-1', '郑州女排主场三比零取胜', '郑州女排姑娘们在主场以三比零取胜，主教练赛后表示球队状态良好。', '2018-11-09', '体育'),
      record('s-2', '女排集训名单公布', '新一期女排集训名单公布，郑州队两名队员入选，主教练表示状态良好。', '2018-12-01', '体育'),
      record('s-3', '女排世锦赛小组赛收官', '中国女排全胜晋级复赛，主教练表示球队状态良好，郑州球迷到场助威。', '2018-10-05', '体育'),
      record('s-4', '男篮主场险胜', '男篮在主场以两分险胜对手，主教练表示球队防守还要加强。', '2018-10-20', '体育'),
      record('t-1', '郑州方特开启暑期亲子游', '郑州方特梦幻王国将针对亲子家庭推出一系列主题活动。', '2018-07-04', '娱乐', '方特梦幻王国推出主题活动'),
      record('t-2', '新款手机发布', '新款手机搭载更快的芯片，续航时间更长，价格与上一代相同。', '2018-09-12', '科技'),
      record('e-1', '郑州中小学开学', '郑州市中小学今天开学，各校做好了开学准备。', '2018-09-01', '教育'),
    ],
    { synonyms: path.join(ROOT, 'index-data', 'dict', 'synonyms.txt') },
  );
}

/**
 * Elements on screen that do not fit: wider than their box (scrollWidth > clientWidth: text
 * cut or spilling) or reaching outside the viewport. Each as "tag#id.class: what".
 */
function overflowing(page: Page): Promise<string[]> {
  return page.locator('body').evaluate((body) => {
    const found: string[] = [];
    const width = body.ownerDocument.documentElement.clientWidth;
    for (const node of Array.from(body.querySelectorAll('*')) as Array<typeof body>) {
      const rect = node.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || node.closest('[hidden], .visually-hidden, noscript')) continue;
      const classes = typeof node.className === 'string' && node.className ? `.${node.className.split(' ').join('.')}` : '';
      const name = `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${classes}`;
      if (node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 0) found.push(`${name}: content ${node.scrollWidth}px in ${node.clientWidth}px`);
      if (rect.left < -1 || rect.right > width + 1) found.push(`${name}: ${Math.round(rect.left)}–${Math.round(rect.right)}px in a ${width}px viewport`);
    }
    return found;
  });
}

/** The texts a set of elements marks, in order. */
function marked(page: Page, selector: string): Promise<string[]> {
  return page.locator(`${selector} mark`).allTextContents();
}

const available = chromiumAvailable();

(available || process.env.CI === 'true' ? describe : describe.skip)('the search page in Chinese and in English', () => {
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  let url: string;
  /** Accept-Language the browser sends when loading a page (the page's own API calls send the page's language). */
  let browserLanguage = 'zh-CN,zh;q=0.9';
  const problems: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer(createApp(archive(), { logger: pino({ level: 'silent' }) }), 0, '127.0.0.1');
    url = server.address.url;
    browser = await launchChromium();
    page = await browser.context.newPage();
    collectProblems(page, problems);
    await page.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() !== 'document') return route.continue();
      return route.continue({ headers: { ...request.headers(), 'accept-language': browserLanguage } });
    });
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), server && stopServer(server.server)]);
  });

  const lang = () => page.locator('html').getAttribute('lang');

  it('speaks the language the browser prefers, Chinese when it prefers neither', async () => {
    browserLanguage = 'en-US,en;q=0.9';
    await page.goto(`${url}/`);
    expect(await lang()).toBe('en');
    await page.locator('#message', { hasText: 'Type to search: Chinese, Latin letters and digits all work.' }).waitFor();
    expect(await page.locator('#q').getAttribute('placeholder')).toBe('Type, e.g. 方特 or fangte');
    expect(await page.locator('#lang-switch').textContent()).toBe('中文');
    expect(await page.locator('#lang-switch').getAttribute('lang')).toBe('zh-CN');

    browserLanguage = 'fr-FR,fr;q=0.9';
    await page.goto(`${url}/`);
    expect(await lang()).toBe('zh-CN');
    await page.locator('#message', { hasText: '输入文字开始搜索：汉字、拼音输入法、字母和数字都可以。' }).waitFor();
    expect(await page.locator('#lang-switch').textContent()).toBe('English');
  });

  it('switches language with the link, keeps the search, and remembers the choice', async () => {
    browserLanguage = 'zh-CN,zh;q=0.9';
    await page.goto(`${url}/?q=${encodeURIComponent('女排')}`);
    await page.locator('#summary', { hasText: '共 3 条结果' }).waitFor();
    await page.locator('#lang-switch').click();
    await page.waitForURL((address) => address.searchParams.get('lang') === 'en' && address.searchParams.get('q') === '女排');
    await page.locator('#summary', { hasText: /^3 results \(/ }).waitFor();
    expect(await lang()).toBe('en');
    expect(await page.locator('#search button').textContent()).toBe('Search');
    // Article text is Chinese on an English page, and says so.
    expect(await page.locator('#results .hit-title').first().getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#results .snippet').first().getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#results .meta .byline').first().textContent()).toBe('Category 体育');
    // No line of the page holds both languages' words for one message.
    expect(await page.locator('#summary').textContent()).not.toMatch(/[条结果毫秒]/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'language-en-results.png'), fullPage: true });

    // Remembered: a new visit without lang= is English although the browser prefers Chinese.
    await page.goto(`${url}/?q=${encodeURIComponent('女排')}`);
    await page.locator('#summary', { hasText: '3 results' }).waitFor();
    expect(await lang()).toBe('en');
    await page.locator('#lang-switch').click();
    await page.locator('#summary', { hasText: '共 3 条结果' }).waitFor();
    expect(await lang()).toBe('zh-CN');
  });

  it("shows the API's reason for a query it cannot run in the page's language", async () => {
    const long = '女'.repeat(257);
    await page.goto(`${url}/?lang=zh&q=${long}`);
    await page.locator('#message.error').waitFor();
    expect(await page.locator('#message').textContent()).toBe('无法执行这个查询：查询太长：最多 256 个字符。');
    await page.goto(`${url}/?lang=en&q=${long}`);
    await page.locator('#message.error').waitFor();
    expect(await page.locator('#message').textContent()).toBe('This query cannot be run: The query is too long: at most 256 characters.');
    await page.goto(`${url}/?lang=zh`);
  });

  it('shows the results of the suggested spelling at once, with the query as typed a link away', async () => {
    await page.goto(`${url}/?q=${encodeURIComponent('郑洲')}`);
    await page.locator('#hints .corrected').waitFor();
    expect(await page.locator('#hints .corrected').textContent()).toBe('已显示“郑州”的结果。仍然搜索：郑洲');
    expect(await page.locator('#results .hit-title mark').first().textContent()).toBe('郑州');
    expect(await page.locator('#q').inputValue()).toBe('郑洲');
    await page.locator('#hints .corrected a.as-typed').click();
    await page.waitForURL((address) => address.searchParams.get('as_typed') === '1');
    await page.locator('#hints .did-you-mean').waitFor();
    expect(await page.locator('#hints .did-you-mean').textContent()).toBe('您要找的是：郑州？');
    expect(await page.locator('#results > li').count()).toBe(0);

    await page.goto(`${url}/?lang=en&q=${encodeURIComponent('郑洲')}`);
    await page.locator('#hints .corrected').waitFor();
    expect(await page.locator('#hints .corrected').textContent()).toBe('Showing results for “郑州”. Search instead for: 郑洲');
    await page.goto(`${url}/?lang=zh`);
  });

  it('marks the same text in the result list and in the article: synonyms and subtitles alike', async () => {
    await page.goto(`${url}/?q=${encodeURIComponent('方特')}`);
    await page.locator('#results .hit').first().waitFor();
    const list = {
      title: await marked(page, '#results .hit-title'),
      subtitle: await marked(page, '#results .hit-subtitle'),
      snippet: await marked(page, '#results .snippet'),
    };
    expect(list).toEqual({ title: ['方特'], subtitle: ['方特梦幻王国'], snippet: ['方特梦幻王国'] });
    await page.locator('#results .hit-title a').first().click();
    await page.locator('#doc-title mark').first().waitFor();
    expect(await marked(page, '#doc-title')).toEqual(list.title);
    expect(await marked(page, '#doc-subtitle')).toEqual(list.subtitle);
    expect(await marked(page, '#doc-body')).toEqual(list.snippet);
  });

  it('ends the article with 相关报道: similar articles with their dates, each a link', async () => {
    await page.goto(`${url}/doc/s-1`);
    await page.locator('#related-list li').first().waitFor();
    expect(await page.locator('#related-heading').textContent()).toBe('相关报道');
    const items = await page.locator('#related-list li').allTextContents();
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.slice(0, 2).sort()).toEqual(['女排世锦赛小组赛收官2018-10-05', '女排集训名单公布2018-12-01']);
    expect(items.join()).not.toContain('郑州女排主场三比零取胜');
    await page.locator('#related-list a', { hasText: '女排世锦赛小组赛收官' }).click();
    await page.locator('#doc-title', { hasText: '女排世锦赛小组赛收官' }).waitFor();
    expect(await page.locator('#related-list').textContent()).toContain('郑州女排主场三比零取胜');

    await page.goto(`${url}/doc/s-1?lang=en`);
    await page.locator('#related-list li').first().waitFor();
    expect(await page.locator('#related-heading').textContent()).toBe('Related articles');
    await page.goto(`${url}/?lang=zh`);
  });

  it('fits a phone in both languages: results, an article and a missing article, with no text cut or off screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      // The check sees a cut line and a box wider than the screen.
      await page.goto(`${url}/`);
      await page.locator('main').evaluate((main) => {
        const cut = Object.assign(main.ownerDocument.createElement('p'), { id: 'cut', textContent: '一行放不下的很长很长很长很长很长很长的文字' });
        cut.style.cssText = 'width: 100px; overflow: hidden; white-space: nowrap';
        const wide = Object.assign(main.ownerDocument.createElement('div'), { id: 'wide' });
        wide.style.cssText = 'width: 500px; height: 10px';
        main.append(cut, wide);
      });
      expect(await overflowing(page)).toEqual([expect.stringMatching(/^main: content/), expect.stringMatching(/^p#cut: content/), expect.stringMatching(/^div#wide: \d+–\d+px in a 390px viewport$/)]);

      for (const language of ['zh', 'en']) {
        await page.goto(`${url}/?lang=${language}&q=${encodeURIComponent('郑州')}`);
        await page.locator('#results .hit').nth(2).waitFor();
        expect(await overflowing(page)).toEqual([]);
        // The placeholder, which scrollWidth does not measure, in the box's font against the room inside it.
        const placeholder = await page.locator('#q').evaluate((box) => {
          const style = box.ownerDocument.defaultView!.getComputedStyle(box);
          const pen = box.ownerDocument.createElement('canvas').getContext('2d')!;
          pen.font = `${style.fontSize} ${style.fontFamily}`;
          return { width: pen.measureText(box.getAttribute('placeholder') ?? '').width, room: box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
        });
        expect(placeholder.width).toBeGreaterThan(100);
        expect(placeholder.width).toBeLessThanOrEqual(placeholder.room);
        await page.screenshot({ path: path.join(ARTIFACTS, `language-${language}-results-phone.png`), fullPage: true });

        await page.goto(`${url}/doc/t-1?q=${encodeURIComponent('方特')}`);
        await page.locator('#related-list li').first().waitFor();
        expect(await overflowing(page)).toEqual([]);
        await page.screenshot({ path: path.join(ARTIFACTS, `language-${language}-article-phone.png`), fullPage: true });

        await page.goto(`${url}/doc/no-such-article`);
        await page.locator('#message.error').waitFor();
        expect(await overflowing(page)).toEqual([]);
        const [message, back] = await Promise.all([page.locator('#message').boundingBox(), page.locator('#back').boundingBox()]);
        expect(Math.abs(message!.x - back!.x)).toBeLessThanOrEqual(1);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${url}/?lang=zh`);
    }
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    // The 400 and 404 answers provoked above are logged by Chromium as failed loads; nothing else may be.
    expect(problems.filter((text) => !/Failed to load resource: the server responded with a status of (404|400)/.test(text))).toEqual([]);
  });
});
