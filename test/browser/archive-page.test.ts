import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { Page } from 'playwright-core';
import { createApp } from '../../src/server/app';
import { RunningServer, startServer, stopServer } from '../../src/server/serve';
import { SearchEngine } from '../../src/engine';
import { ROOT, doc } from '../helpers';
import { archiveEngine } from './archiveFixture';
import { Browser, CHROMIUM, chromiumAvailable, launchChromium } from './chromium';

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const available = chromiumAvailable();

/**
 * Elements of the page whose text overflows their box (scrollWidth past clientWidth, where
 * the overflow is not meant to scroll or be cut), or whose box reaches outside the viewport:
 * each described by tag, id or class and the numbers. (Run in the page as text: the test
 * files are compiled without the DOM's types.)
 */
const OVERFLOWING = `(() => {
  const problems = [];
  const describe = (node) => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') + (node.classList.length ? '.' + [...node.classList].join('.') : '') + ' "' + (node.textContent || '').trim().slice(0, 30) + '"';
  for (const node of document.querySelectorAll('body *')) {
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || (box.width === 0 && box.height === 0)) continue;
    const scrolls = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
    if (!scrolls && node.clientWidth > 0 && node.scrollWidth > node.clientWidth + 1) problems.push(describe(node) + ': scrollWidth ' + node.scrollWidth + ' > clientWidth ' + node.clientWidth);
    if (box.left < -1 || box.right > window.innerWidth + 1) problems.push(describe(node) + ': box ' + Math.round(box.left) + '..' + Math.round(box.right) + ' outside the viewport 0..' + window.innerWidth);
  }
  return problems;
})()`;

function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(OVERFLOWING) as Promise<string[]>;
}

(available || process.env.CI === 'true' ? describe : describe.skip)('the search page on a JSON Lines archive (Sina categories, CCTV dates)', () => {
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const { engine } = await archiveEngine();
    server = await startServer(createApp(engine, { logger: pino({ level: 'silent' }), rateLimit: false }), 0, '127.0.0.1');
    browser = await launchChromium();
    page = await browser.context.newPage();
    problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.server);
  });

  const query = () => new URL(page.url()).searchParams;
  const open = async (search: string, summary: string) => {
    await page.goto(`${server.address.url}/?${search}`);
    await page.locator('#summary', { hasText: summary }).waitFor();
  };
  const category = (value: string) => page.locator(`.facet-value[data-field="category"][data-value="${value}"]`);

  it('offers the records’ categories as facets; a second category adds to the first', async () => {
    await open(`q=${encodeURIComponent('的')}`, '共 118 条结果');
    expect(await page.locator('.facet-value[data-field="category"]').allTextContents()).toEqual(['体育10', '健康10', '娱乐10', '教育10', '时尚10', '科技9']);
    expect(await page.locator('.facet h3').allTextContents()).toEqual(['来源', '分类', '年份', '月份']);
    await category('体育').click();
    await page.waitForURL((url) => url.searchParams.getAll('filter').join() === 'category:体育');
    await page.locator('#summary', { hasText: '共 10 条结果' }).waitFor();
    // Counted without its own filter, 科技 keeps its count and can be added.
    expect(await category('科技').textContent()).toBe('科技9');
    await category('科技').click();
    await page.waitForURL((url) => url.searchParams.getAll('filter').join() === 'category:体育,category:科技');
    await page.locator('#summary', { hasText: '共 19 条结果' }).waitFor();
    expect(await category('体育').getAttribute('aria-pressed')).toBe('true');
    expect(await category('科技').getAttribute('aria-pressed')).toBe('true');
    const labels = await page.locator('#results .hit .meta').allTextContents();
    expect(labels.every((text) => /分类 (体育|科技)/.test(text))).toBe(true);
    expect(await page.locator('#results').textContent()).not.toContain('jsonl');
    // Sina records have no dates: no timeline, no date order.
    expect(await page.locator('#timeline').isHidden()).toBe(true);
    expect(await page.locator('#sort').isHidden()).toBe(true);
  });

  it('draws the timeline by month; a bar filters to its month and is pressed', async () => {
    await open(`q=${encodeURIComponent('的')}`, '共 118 条结果');
    const bars = page.locator('#timeline .timeline-period');
    expect(await bars.count()).toBe(30);
    expect(await bars.first().getAttribute('data-period')).toBe('2017-07');
    expect(await bars.last().getAttribute('data-period')).toBe('2019-12');
    const march = page.locator('#timeline .timeline-period[data-period="2018-03"]');
    expect(await march.getAttribute('aria-label')).toBe('2018-03：2 条结果，点击只看此时段');
    const heights = await page.locator('#timeline .timeline-bar').evaluateAll((nodes) => nodes.map((node) => node.style.height));
    expect(new Set(heights)).toEqual(new Set(['100%', '50%']));
    await march.click();
    await page.waitForURL((url) => url.searchParams.getAll('filter').join() === 'date:2018-03');
    await page.locator('#summary', { hasText: '共 2 条结果' }).waitFor();
    expect(await march.getAttribute('aria-pressed')).toBe('true');
    const dates = await page.locator('#results .hit .meta .byline').allTextContents();
    expect(dates.filter((text) => /^\d{4}-\d{2}-\d{2}$/.test(text))).toEqual(['2018-03-01', '2018-03-01']);
    // The timeline is counted without the date filter: every month is still there.
    expect(await bars.count()).toBe(30);
    await march.click();
    await page.waitForURL((url) => url.searchParams.getAll('filter').length === 0);
    await page.locator('#summary', { hasText: '共 118 条结果' }).waitFor();
  });

  it('sorts by date, newest or oldest first, kept in the address', async () => {
    await open(`q=${encodeURIComponent('的')}`, '共 118 条结果');
    await page.locator('#sort-select').selectOption('newest');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'newest');
    await page.locator('#results .hit').first().locator('.byline', { hasText: '2019-12-01' }).waitFor();
    expect(await page.locator('#results .hit-title').first().textContent()).toBe('【壮丽70年 奋斗新时代——重温嘱托看变化】河南：稳产提质 打好粮食生产“王牌”');
    await page.locator('#sort-select').selectOption('oldest');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'oldest');
    await page.locator('#results .hit').first().locator('.byline', { hasText: '2017-07-01' }).waitFor();
    await page.reload();
    await page.locator('#results .hit').first().locator('.byline', { hasText: '2017-07-01' }).waitFor();
    expect(await page.locator('#sort-select').inputValue()).toBe('oldest');
  });

  it('filters by a date range typed beside the facets, and says clearly what is wrong with a bad one', async () => {
    await open(`q=${encodeURIComponent('的')}`, '共 118 条结果');
    await page.locator('#date-from').fill('2018-01');
    await page.locator('#date-to').fill('2018-06');
    await page.locator('.date-range-apply').click();
    await page.waitForURL((url) => url.searchParams.getAll('filter').join() === 'date:2018-01..2018-06');
    await page.locator('#summary', { hasText: '共 12 条结果' }).waitFor();
    expect(await page.locator('#active-filters .chip').allTextContents()).toEqual(['日期: 2018-01..2018-06×']);
    expect(await page.locator('#date-from').inputValue()).toBe('2018-01');
    await page.locator('#date-from').fill('2018-13');
    await page.locator('.date-range-apply').click();
    await page.locator('#message.error').waitFor();
    expect(await page.locator('#message').textContent()).toBe('无法执行这个查询：日期筛选无效：请写年份、月份或日期，或它们的范围，例如 2018、2018-05、2018-05-18、2018-01..2018-06，先写较早的日期。');
    expect(query().getAll('filter')).toEqual(['date:2018-13..2018-06']);
  });

  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])('fits the %s screen: no text overflows its box, nothing reaches outside the viewport', async (name, width, height) => {
    await page.setViewportSize({ width, height });
    await open(`q=${encodeURIComponent('的')}&filter=${encodeURIComponent('source:cctv-xinwenlianbo')}`, '共 59 条结果');
    await page.locator('#timeline .timeline-period').first().waitFor();
    if (name === 'phone') await page.locator('#facets-panel summary').click();
    await page.locator('#date-from').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, `archive-${name}.png`), fullPage: true });
    expect(await overflowing(page)).toEqual([]);
    // The check is not vacuous: an unbreakable run of text in the summary is caught.
    await page.evaluate(`document.querySelector('#summary').append('x'.repeat(300))`);
    expect(await overflowing(page)).toContainEqual(expect.stringMatching(/^p#summary .*: scrollWidth \d+ > clientWidth \d+$/));
  });

  it('labels a newspaper page paper · date · page as far as its file name says, never by the file name itself', async () => {
    const pages = await startServer(
      createApp(
        SearchEngine.build([
          doc('p-1', '方特开园', '方特今日开园。', { source: '郑州日报_2020-07-04_03.txt', date: '2020-07-04', reporters: ['卢文军'] }),
          doc('p-2', '方特夜场', '方特夜场开放。', { source: '000_2cd9194f99e4ed8d.txt' }),
        ]),
        { logger: pino({ level: 'silent' }), rateLimit: false },
      ),
      0,
      '127.0.0.1',
    );
    try {
      await page.goto(`${pages.address.url}/?q=${encodeURIComponent('方特')}`);
      await page.locator('#summary', { hasText: '共 2 条结果' }).waitFor();
      const bylines = (title: string) => page.locator('#results .hit', { hasText: title }).locator('.meta .byline').allTextContents();
      expect(await bylines('方特开园')).toEqual(['记者 卢文军', '郑州日报 · 2020-07-04 · 第 3 版']);
      expect(await bylines('方特夜场')).toEqual([]);
      expect(await page.locator('#results').textContent()).not.toMatch(/\.txt|2cd9194f/);
    } finally {
      await stopServer(pages.server);
    }
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    // The bad date range above is answered 400 on purpose.
    expect(problems.filter((text) => !/Failed to load resource: the server responded with a status of 400/.test(text))).toEqual([]);
  });
});
