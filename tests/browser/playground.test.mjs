// The playground in headless Chromium, as a visitor uses it: the default example runs on load;
// stepping back and forth; a program typed with the keyboard and run with Ctrl+Enter; another
// profile; a compile error that shows and clears; a paste from the clipboard; a program that
// spins forever while frames keep coming; share links, good and broken; the page hooks refusing
// bad arguments. Screenshots of each state go to build/test-artifacts/, and are checked not to be
// blank and to differ where the state differs.
//   node tests/browser/playground.test.mjs WEB_DIR NATIVE_LOOPSCOPE
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage, check } from './browser.mjs';
import { decodePng, pixelStats, difference } from './png.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const webDir = path.resolve(process.argv[2] || 'build/web');
const nativeBin = path.resolve(process.argv[3] || 'build/native/bin/loopscope');
const artifacts = path.join(root, 'build', 'test-artifacts');
fs.mkdirSync(artifacts, { recursive: true });

const native = (args, input) => spawnSync(nativeBin, args, { encoding: 'utf8', input });

await withPage(webDir, async (page, url, errors) => {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const pg = (f, ...args) => page.evaluate(([body, a]) => new Function('pg', 'args', body)(window.loopscope.playground, a), [f, args]);
  const state = () => page.evaluate(() => window.loopscope.playground.state());
  const until = (body, what, timeout = 30000) =>
    page.waitForFunction(`(() => { const pg = window.loopscope.playground; ${body} })()`, null, { timeout })
      .then(() => true, () => { throw new Error('timed out waiting for ' + what); });
  const waitEnded = () => page.waitForFunction(() => window.loopscope.playground.state().ended, null, { timeout: 60000 });
  // A key held until a frame has drawn it (ImGui 1.86 reads keys once a frame), then released.
  const press = async (key) => {
    const frames = await pg('return pg.frames()');
    await page.keyboard.down(key);
    await page.waitForFunction((f) => window.loopscope.playground.frames() > f + 1, frames);
    await page.keyboard.up(key);
    await page.waitForFunction((f) => window.loopscope.playground.frames() > f + 2, frames);
  };
  const shots = {};
  const shot = async (name) => {
    await page.mouse.move(2, 798);  // (no tooltip in the picture)
    const frames = await pg('return pg.frames()');
    await page.waitForFunction((f) => window.loopscope.playground.frames() > f + 3, frames);
    const file = path.join(artifacts, `playground-${name}.png`);
    await page.screenshot({ path: file });
    const png = decodePng(fs.readFileSync(file));
    const stats = pixelStats(png);
    check(stats.colours > 30 && stats.stddev > 6, `screenshot ${name} is not blank (${stats.colours} colours, brightness spread ${stats.stddev.toFixed(1)})`);
    shots[name] = png;
    return png;
  };

  // 1. The default example loads and runs: the event-loop order, the command's output.
  await page.goto(url);
  await page.waitForFunction(() => window.loopscopeReady === true, null, { timeout: 30000 });
  check(await page.evaluate(() => !document.getElementById('loading')), 'the loading indicator is gone once the canvas draws');
  await waitEnded();
  let st = await state();
  const example = fs.readFileSync(path.join(root, 'examples', 'coro', 'event_loop_order.coro'), 'utf8');
  const expected = native(['run', '-'], example).stdout;
  check(st.profile === 'node' && st.events > 20 && st.exitCode === 0, `the default example ran under node: ${JSON.stringify({ events: st.events, exit: st.exitCode })}`);
  check(st.source === example, 'the editor holds the default example');
  check(await pg('return pg.output()') === expected, 'its output is the command\'s, in Node\'s order');
  await shot('default');

  // 2. Step back and forward: the cursor and the output at the cursor follow.
  await pg('pg.step(-6)');
  st = await state();
  check(st.cursor === st.events - 7, `step(-6) moves the cursor back (at ${st.cursor} of ${st.events})`);
  const back = await pg('return pg.output()');
  check(back.length < expected.length && expected.startsWith(back), 'the output at an earlier cursor is a prefix of the whole');
  await shot('stepped-back');
  check(difference(shots['default'], shots['stepped-back']) > 0.001, 'stepping back changes what is drawn (cursor, narration, queues)');
  await press('Escape');  // the editor had the keyboard (a loaded program gets it); now the timeline does
  await press('ArrowRight');
  await press('ArrowRight');
  check((await state()).cursor === st.cursor + 2, 'after Esc, the → key steps forward (twice)');
  await press('ArrowLeft');
  check((await state()).cursor === st.cursor + 1, 'and ← steps back');
  await pg('pg.seek(3)');
  check((await state()).cursor === 3, 'seek(3) puts the cursor on event 3');

  // 3. Type a program with the keyboard, run it with Ctrl+Enter.
  await pg("pg.load('', {profile: 'basic'})");
  await page.mouse.click(200, 200);
  await page.keyboard.type('print("typed", 1 + 2)');
  await press('Enter');
  await page.keyboard.type('await sleep(2)');
  await press('Enter');
  await page.keyboard.type('print("after")');
  st = await state();
  check(st.source === 'print("typed", 1 + 2)\nawait sleep(2)\nprint("after")', 'typed text and Enter reach the editor: ' + JSON.stringify(st.source));
  await page.keyboard.down('Control');
  await press('Enter');
  await page.keyboard.up('Control');
  await waitEnded();
  check(await pg('return pg.output()') === 'typed 3\nafter\n', 'Ctrl+Enter ran the typed program');
  await shot('typed');

  // 4. Another profile: two workers of tokio.
  const stealing = fs.readFileSync(path.join(root, 'examples', 'coro', 'work_stealing.coro'), 'utf8');
  await pg("pg.load(args[0], {profile: 'tokio', workers: 2}); pg.run()", stealing);
  await waitEnded();
  st = await state();
  check(st.profile === 'tokio', 'the run used the profile it was given');
  check(await pg('return pg.output()') === native(['run', '-', '--profile', 'tokio', '--workers', '2'], stealing).stdout,
        'its output is the command\'s under tokio with 2 workers');
  await pg('pg.seek(Math.floor(pg.state().events / 2))');
  await shot('tokio');
  check(difference(shots['typed'], shots['tokio']) > 0.02, 'a tokio run looks different from a basic one');

  // 5. A compile error shows as you type, and clears when fixed.
  await pg("pg.load('print(1', {})");
  await until('return pg.state().checked', 'the check');
  st = await state();
  check(st.diagnostics.length === 1 && st.diagnostics[0].line === 1, 'a compile error is found while typing: ' + JSON.stringify(st.diagnostics));
  await shot('compile-error');
  await page.mouse.click(200, 120);
  await press('End');
  await page.keyboard.type(')');
  await until("return pg.state().checked && pg.state().source === 'print(1)'", 'the fixed program checked');
  check((await state()).diagnostics.length === 0, 'fixing it clears the error');

  // 6. Paste through the browser's clipboard event.
  await pg("pg.load('', {})");
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'print("pasted")\r\n');
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  });
  await until("return pg.state().source === 'print(\"pasted\")\\n'", 'the pasted text');
  await pg('pg.run()');
  await waitEnded();
  check(await pg('return pg.output()') === 'pasted\n', 'a pasted program (CRLF made LF) runs');

  // 7. A program that never yields: frames keep coming, it is named starving, nothing hangs.
  await pg("pg.load('// @profile basic max-instructions=4000000000\\nasync fn spin() { while true {} }\\nspawn spin()\\nawait sleep(1)\\nprint(\"never\")', {}); pg.speed(0); pg.run()");
  const f0 = await pg('return pg.frames()');
  await page.waitForTimeout(1500);
  const f1 = await pg('return pg.frames()');
  check(f1 - f0 > 15, `frames keep coming while a task spins (${f1 - f0} in 1.5 s)`);
  check(!(await state()).ended, 'the spinning run is still being recorded, in slices');
  const warnings = await pg('return pg.warnings()');
  check(warnings.some((w) => w.kind === 'starving_task'), 'the spinning task is named: ' + JSON.stringify(warnings));
  await shot('starving');
  await pg('pg.pause()');

  // 7b. Real mode: the program runs on the page's event loop (real timers), its events stream in,
  // and the queues pane says why a real run has none.
  await pg("pg.load('let t0 = now()\\nawait sleep(40)\\nprint(\"slept for real:\", now() - t0 >= 40)', {profile: 'node', real: true}); pg.run()");
  await waitEnded();
  st = await state();
  check(st.real === true && st.exitCode === 0 && st.events > 3, 'a real run ran and recorded its events: ' + JSON.stringify({ real: st.real, events: st.events, exit: st.exitCode }));
  check(await pg('return pg.output()') === 'slept for real: true\n', 'its timer took real time');
  await pg('pg.step(-1)');
  check((await state()).cursor === st.events - 2, 'the cursor moves back over what was recorded');
  await shot('real');

  // 8. Share links: one made by the command opens and runs; a broken one says so and loads nothing.
  const sharedSource = 'async fn hi(n) { print("hello", n) }\nawait hi(7)\n';
  // (a query makes it a new document: a change of fragment alone would not load the page again)
  const link = native(['share', '-', '--profile', 'go', '--workers', '3', '--base', url + '?shared'], sharedSource).stdout.trim();
  check(link.startsWith(url + '?shared#v1/'), 'the command made a link to this page');
  await page.goto(link);
  await page.waitForFunction(() => window.loopscopeReady === true, null, { timeout: 30000 });
  await waitEnded();
  st = await state();
  check(st.source === sharedSource && st.profile === 'go', 'the link opened its program under its profile');
  check(await pg('return pg.output()') === 'hello 7\n', 'and ran it');
  await page.goto(url + '?x=1#v1/AAAAbroken');
  await page.waitForFunction(() => window.loopscopeReady === true, null, { timeout: 30000 });
  await until('return pg.state().banner !== ""', 'the broken link\'s message');
  st = await state();
  check(/share link cannot be opened/.test(st.banner) && st.source === '' && st.events === 0, 'a broken link gives a clear message and loads nothing: ' + st.banner);
  await shot('broken-link');
  await page.goto(url + '?example=pipeline');
  await page.waitForFunction(() => window.loopscopeReady === true, null, { timeout: 30000 });
  await waitEnded();
  check((await state()).source.includes('channel'), '?example=pipeline opens that example');

  // 9. The page hooks refuse what they cannot take.
  const refused = await page.evaluate(() => {
    const pg = window.loopscope.playground;
    const kind = (f) => { try { f(); return 'none'; } catch (e) { return e.constructor.name; } };
    return [kind(() => pg.step('x')), kind(() => pg.seek(-1)), kind(() => pg.load(5)), kind(() => pg.speed(NaN)),
            kind(() => pg.theme('pink')), kind(() => pg.load('print(1)', { workers: 0 })), kind(() => pg.load('x', { profile: 'tokyo' }))];
  });
  check(JSON.stringify(refused) === JSON.stringify(['RangeError', 'RangeError', 'TypeError', 'RangeError', 'RangeError', 'Error', 'Error']),
        'bad arguments to the hooks throw, saying why: ' + refused.join(', '));

  // 10. The light theme.
  await pg("pg.theme('light'); pg.seek(20)");
  const light = await shot('light');
  check(pixelStats(light).mean > pixelStats(shots['tokio']).mean + 60, 'the light theme is light');
  fs.copyFileSync(path.join(artifacts, 'playground-tokio.png'), path.join(artifacts, 'playground.png'));
});
