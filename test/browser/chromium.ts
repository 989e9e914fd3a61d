import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, Page, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); JIANSUO_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.JIANSUO_CHROMIUM ?? '/usr/bin/chromium';

/** Quiet, offline flags: no first-run UI, no background traffic, no GPU. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Whether the browser is installed. */
export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Starts headless Chromium with a fresh profile in a temporary directory. */
export async function launchChromium(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Adds to `problems` what `page` reports as errors from now on: uncaught exceptions and console errors (a CSP violation is one). */
export function collectProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
}
