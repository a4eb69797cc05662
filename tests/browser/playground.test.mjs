// The web page in headless Chromium: the ImGui canvas starts (WebGL2), the runtime demo runs on
// the browser platform (timers, a channel, an awaited JS Promise) and its output and trace are
// readable through Embind.
//   node tests/browser/playground.test.mjs <web dir>
import { withPage, check } from './browser.mjs';

const webDir = process.argv[2] || 'build/web';
const expected = [
  'sent 1', 'sent 2', 'received 1', 'received 2', 'received 3', 'sent 3', 'sent 4', 'received 4',
  'tick 1', 'platform step: from a JS Promise', 'tick 2', 'tick 3', 'demo done',
].join('\n') + '\n';

await withPage(webDir, async (page, url, errors) => {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.loopscopeReady === true, null, { timeout: 30000 });
  check(true, 'the canvas rendered its first frame (WebGL2 context created)');
  await page.waitForFunction(() => window.loopscopeDemoDone === true, null, { timeout: 30000 });
  const output = await page.evaluate(() => Module.demoOutput());
  check(output === expected, 'the demo printed, in order:\n' + output);
  const events = await page.evaluate(() => Module.demoTraceCount());
  check(events > 20, `the trace recorded ${events} events`);
  const pixels = await page.evaluate(() => {
    const gl = document.getElementById('canvas').getContext('webgl2');
    return gl ? gl.drawingBufferWidth * gl.drawingBufferHeight : 0;
  });
  check(pixels > 0, 'the WebGL2 drawing buffer has a size');
});
