// The module (build/web/loopscope.js) in headless Chromium, in real mode on the page's event
// loop: timers take real time, fetch is the page's own against the local server, and a task
// that never yields leaves the page responsive (requestAnimationFrame keeps firing) and is
// reported as starving.
//   node tests/browser/module.test.mjs <web dir>
import { withPage, check } from './browser.mjs';

const webDir = process.argv[2] || 'build/web';
await withPage(webDir, async (page, url) => {
  await page.goto(url + 'loopscope.js');  // any page of this origin
  await page.addScriptTag({ url: '/loopscope.js' });
  await page.evaluate(async () => { window.loopscope = await createLoopscope(); });

  const timers = await page.evaluate(() => loopscope.run(`
let t0 = now()
await sleep(120)
let waited = now() - t0
print("waited at least 120 ms:", waited >= 120, "and not much more:", waited < 1000)
let order = []
let a = spawn (async fn () { await sleep(60)
  order.push("60") })()
let b = spawn (async fn () { await sleep(20)
  order.push("20") })()
await a
await b
print(order)`, { real: true }));
  check(timers.exitCode === 0, 'a real-mode run with timers ends cleanly: ' + timers.errors);
  check(timers.output === 'waited at least 120 ms: true and not much more: true\n["20", "60"]\n',
        'real timers take real time and fire in deadline order:\n' + timers.output);

  const fetched = await page.evaluate(() => loopscope.run(`
let page = await fetch("/loopscope.js")
print(page.status, len(page.body) > 1000)
let missing = await fetch("/no/such/file")
print(missing.status)`, { real: true }));
  check(fetched.exitCode === 0 && fetched.output === '200 true\n404\n',
        'fetch uses the page\'s fetch against the local server: ' + JSON.stringify(fetched));

  const failed = await page.evaluate(() => loopscope.run('await fetch("http://127.0.0.1:9/")', { real: true }));
  check(failed.exitCode === 1 && /fetch http:\/\/127\.0\.0\.1:9\/: /.test(failed.errors),
        'a network error is an error in the script: ' + failed.errors.trim());

  // A task that never yields, for 1.5 s: frames keep coming and it is reported.
  const spin = await page.evaluate(async () => {
    let frames = 0, running = true;
    const frame = () => { ++frames; if (running) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    let timeouts = 0;
    const tick = setInterval(() => ++timeouts, 50);
    const r = await loopscope.run('// @profile basic time-limit=1500 max-instructions=1000000000000\nasync fn spin() { while true {} }\nawait spin()', { real: true });
    running = false;
    clearInterval(tick);
    return { r, frames, timeouts };
  });
  check(spin.frames >= 20, `requestAnimationFrame kept firing while the task spun (${spin.frames} frames in 1.5 s)`);
  check(spin.timeouts >= 10, `the page's own timers kept firing (${spin.timeouts} of 30)`);
  check(spin.r.exitCode === 4 && /more than 1500 ms/.test(spin.r.error), 'the spin ended at its time limit: ' + spin.r.error);
  check(spin.r.lints.some((l) => l.kind === 'starving_task' && /task 'main'/.test(l.message)),
        'the spinning task is reported as starving: ' + JSON.stringify(spin.r.lints.map((l) => l.kind)));
  check(/warning: task 'main' \(id 1\) has run for \d+ ms without yielding/.test(spin.r.errors),
        'and the warning is in the run\'s errors');

  // Profile node on the page's loop: its order, and neither a spinning task nor an endless
  // microtask chain freezes the page.
  const order = await page.evaluate(() => loopscope.run(`// @profile node
set_timeout(fn () { print("timeout") }, 0)
set_immediate(fn () { print("immediate") })
queue_microtask(fn () { print("microtask") })
next_tick(fn () { print("tick") })
print("sync")`, { real: true }));
  // (A 0 ms timeout and an immediate from the main program come in either order, as in Node:
  // it depends on whether a millisecond passed before the loop began.)
  check(order.exitCode === 0 && ['sync\ntick\nmicrotask\ntimeout\nimmediate\n', 'sync\ntick\nmicrotask\nimmediate\ntimeout\n'].includes(order.output),
        'profile node in real mode keeps Node\'s order:\n' + order.output);
  // Spinning anywhere — a task, a chain of jobs, inside a callback — leaves the page rendering;
  // a spinning callback is reported as starving like a task.
  const spinCallback = 'set_timeout(fn () {\n  while true {} }, 0)\nawait sleep(5000)';
  for (const [profile, what, body, starving] of [
    ['node', 'a task spinning after an await', 'async fn spin() { await sleep(1)\n  while true {} }\nawait spin()', /task 'spin'/],
    ['node', 'an endless microtask chain', 'fn again() { queue_microtask(again) }\nagain()', null],
    ['node', 'a timer callback spinning', spinCallback, /a callback \(the function at line 2\)/],
    ['node', 'a promise handler spinning', 'resolved(1).then(fn (v) {\n  while true {} })', /a callback \(the function at line 2\)/],
    ['basic', 'a microtask spinning', 'queue_microtask(fn () {\n  while true {} })\nawait sleep(5000)', /a callback \(the function at line 2\)/],
    ['basic', 'a timer\'s function spinning', spinCallback, /task 'set_timeout'/]]) {
    const r = await page.evaluate(async (source) => {
      let frames = 0, running = true;
      const frame = () => { ++frames; if (running) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      const r = await loopscope.run(source, { real: true });
      running = false;
      return { r, frames };
    }, `// @profile ${profile} time-limit=1000 max-instructions=1000000000000\n` + body);
    check(r.frames >= 10 && r.r.exitCode === 4, `${profile}: ${what} leaves the page rendering (${r.frames} frames in 1 s) until its time limit`);
    if (starving) {
      check(r.r.lints.some((l) => l.kind === 'starving_task' && starving.test(l.message)),
            `${profile}: ${what} is reported as starving: ` + JSON.stringify(r.r.lints.map((l) => l.message)));
    }
  }

  // One worker of tokio or go on the page: go's time slice lets another task run beside a
  // spinning one; tokio has no preemption, so the other task starves.
  const spinBeside = '// @profile PROFILE workers=1 time-limit=600 max-instructions=1000000000000\nasync fn other() { print("other ran") }\nspawn other()\nwhile true {}';
  const go1 = await page.evaluate((s) => loopscope.run(s, { real: true }), spinBeside.replace('PROFILE', 'go'));
  check(go1.exitCode === 4 && go1.output === 'other ran\n', 'go with one worker in real mode preempts the spinning task: ' + JSON.stringify(go1.output));
  const tokio1 = await page.evaluate((s) => loopscope.run(s, { real: true }), spinBeside.replace('PROFILE', 'tokio'));
  check(tokio1.exitCode === 4 && tokio1.output === '' && tokio1.lints.some((l) => l.kind === 'starving_task'),
        'tokio with one worker does not, and reports the starving task');

  const refused = await page.evaluate(() => loopscope.run('print(1)', { real: true, profile: 'go', workers: 4 }));
  check(refused.exitCode === 2 && /simulation only in the browser/.test(refused.error), 'go with 4 workers in real mode says it runs in simulation only');

  const after = await page.evaluate(() => loopscope.run('print("still fine")', {}));
  check(after.output === 'still fine\n', 'the module runs the next program normally');
});
