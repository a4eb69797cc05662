// Shared by the browser tests: Debian's Chromium, headless, driven by playwright-core.
// The flags are the ones that render WebGL2 (SwiftShader) on these machines, as root.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'],
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

// Serves `webDir` on a free port and opens a page of it in a fresh Chromium; runs
// `body(page, url, errors)` (errors: the page's uncaught errors; the body may add more), then
// checks that there were none and closes everything, whatever happened.
export async function withPage(webDir, body) {
  const { serve } = await import('../../scripts/serve.mjs');
  const server = await serve(webDir, 0);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await body(page, url, errors);
    check(errors.length === 0, 'no errors on the page' + (errors.length ? ': ' + errors.join('; ') : ''));
  } finally {
    await close();
    server.close();
  }
}

// Fails the test (exit 1) with a message; keeps the output readable in ctest's log.
export function check(cond, message) {
  if (!cond) {
    console.error('FAIL: ' + message);
    process.exitCode = 1;
    throw new Error(message);
  }
  console.log('ok: ' + message);
}
