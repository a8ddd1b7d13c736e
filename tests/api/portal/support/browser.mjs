// Debian's Chromium driven by playwright-core, with the flags this closed network needs,
// and a watch on every request: the portal may talk to its own host only.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../../../api/portal/package.json', import.meta.url)));
const { chromium } = require('playwright-core');

export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 900 };

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A browser context (one person's browser) at a viewport; records foreign requests and
// script errors so the test can assert there were none.
export async function person(browser, base, viewport, label) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const origin = new URL(base).origin;
  const watch = { label, foreign: [], errors: [], requests: 0 };
  context.on('request', (request) => {
    watch.requests++;
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      watch.foreign.push(url);
    }
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.on('pageerror', (e) => watch.errors.push(String(e)));
  return { context, page, watch };
}

export function assertOnlyOwnHost(watch) {
  assert.ok(watch.requests > 0, `${watch.label}: no request was seen at all`);
  assert.deepEqual(watch.foreign, [], `${watch.label}: requests to other hosts`);
  assert.deepEqual(watch.errors, [], `${watch.label}: script errors on the page`);
}

export async function screenshot(page, dir, name) {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
