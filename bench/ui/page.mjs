// The playground in headless Chromium: the page's weight (everything index.html loads, gzipped),
// its first frame after load, and the CPU time of frames over a recorded run of about a million
// events — the whole run in view, zoomed in (W held), panning (D held). One JSON line per case.
// Targets (the playground's issue): 700 KB, 1 s, a frame's median 8 ms and p99 16 ms.
//   node bench/ui/page.mjs WEB_DIR
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { withPage } from '../../tests/browser/browser.mjs';

const webDir = path.resolve(process.argv[2] || 'build/web');
const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, 'million.coro'), 'utf8');

let weight = 0;
for (const f of ['index.html', 'share.js', 'loopscope-play.js', 'loopscope-play.wasm'])
  weight += zlib.gzipSync(fs.readFileSync(path.join(webDir, f)), { level: 9 }).length;
console.log(JSON.stringify({ case: 'page_weight_gzip_kb', value: Math.round(weight / 1024) }));

const stats = (v) => {
  v = [...v].sort((a, b) => a - b);
  return { median_ms: +v[v.length >> 1].toFixed(3), p99_ms: +v[Math.min(v.length - 1, Math.floor(v.length * 0.99))].toFixed(3) };
};

await withPage(webDir, async (page, url) => {
  await page.goto(url);
  await page.waitForFunction(() => window.loopscopeReady === true, null, { timeout: 30000 });
  console.log(JSON.stringify({ case: 'first_frame_ms', value: Math.round(await page.evaluate(() => window.loopscopeFirstFrameMs)) }));
  await page.evaluate((src) => { const pg = window.loopscope.playground; pg.load(src, {}); pg.speed(0); pg.run(); }, source);
  await page.waitForFunction(() => window.loopscope.playground.state().ended, null, { timeout: 300000 });
  const events = await page.evaluate(() => window.loopscope.playground.state().events);
  await page.evaluate(() => window.loopscope.playground.seek(Math.floor(window.loopscope.playground.state().events / 2)));
  await page.keyboard.press('Escape');
  const measure = async (name, extra) => {
    const f0 = await page.evaluate(() => window.loopscope.playground.frames());
    await page.waitForFunction((f) => window.loopscope.playground.frames() >= f + 300, f0, { timeout: 120000 });
    const times = (await page.evaluate(() => window.loopscope.playground.frameTimes())).slice(-300);
    console.log(JSON.stringify({ case: name, ...stats(times), ...extra }));
  };
  await page.mouse.move(900, 200);
  await measure('page_timeline_zoomed_out', { events });
  await page.keyboard.down('KeyW');
  await page.waitForTimeout(1200);
  await page.keyboard.up('KeyW');
  await measure('page_timeline_zoomed_in');
  await page.keyboard.down('KeyS');
  await page.waitForTimeout(500);
  await page.keyboard.up('KeyS');
  await page.keyboard.down('KeyD');
  await measure('page_timeline_panning');
  await page.keyboard.up('KeyD');
});
