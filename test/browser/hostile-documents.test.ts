/**
 * The search page with an index of hostile documents (test/hostileSources.ts): results
 * and article views show their text as text, the 1 MB paragraph included, no script of
 * theirs runs, and the page raises no error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { Page } from 'playwright-core';
import { buildIndex } from '../../src/build';
import { SearchEngine } from '../../src/engine';
import { createApp } from '../../src/server/app';
import { withoutBidiControls } from '../../src/server/display';
import { RunningServer, startServer, stopServer } from '../../src/server/serve';
import { HOSTILE, HUGE_PARAGRAPH, writeHostileSources } from '../hostileSources';
import { Browser, CHROMIUM, chromiumAvailable, launchChromium } from './chromium';

const available = chromiumAvailable();

(available || process.env.CI === 'true' ? describe : describe.skip)('hostile documents on the search page', () => {
  let work: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-hostile-page-'));
    writeHostileSources(path.join(work, 'sources'));
    await buildIndex({ sources: [path.join(work, 'sources')], out: path.join(work, 'index') });
    server = await startServer(createApp(SearchEngine.open(path.join(work, 'index')), { logger: pino({ level: 'silent' }) }), 0, '127.0.0.1');
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.server);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists them with their titles as text, beside their neighbours', async () => {
    await page.goto(`${server.address.url}/?q=${encodeURIComponent('方特')}`);
    await page.locator('#results .hit').first().waitFor();
    const titles = await page.locator('#results .hit-title').allTextContents();
    expect(titles.sort()).toEqual([...HOSTILE.filter((r) => r.id !== 'too-long').map((r) => r.title), '郑州方特开启暑期亲子游'].sort());
    expect(await page.locator('#results img, #results script, #results b').count()).toBe(0);
  });

  it('opens each of them as an article, the 1 MB paragraph with every match marked', async () => {
    for (const record of HOSTILE.filter((r) => r.id !== 'too-long')) {
      await page.goto(`${server.address.url}/doc/${encodeURIComponent(record.id)}?q=${encodeURIComponent('方特')}`);
      await page.locator('#doc-title mark').first().waitFor();
      // As stored, less the direction controls that could spoof what is shown (server/display.ts).
      expect(await page.locator('#doc-title').textContent()).toBe(withoutBidiControls(record.title.replace(/\n/g, ' ')));
      expect(await page.locator('#doc-body').textContent()).toBe(withoutBidiControls(record.body));
    }
    expect((await page.locator('#doc-body').textContent())!.length).toBeGreaterThan(HUGE_PARAGRAPH);
    expect(await page.locator('#doc-body mark').count()).toBeGreaterThan(HUGE_PARAGRAPH / 15);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('raised no script error', () => {
    expect(problems).toEqual([]);
  });
});
