// Fuzzes the page's share-link decoder (web/share.js) in Node 20, which has the browser's
// DecompressionStream: mutated links, random text, compressed junk and compressed near-JSON, for
// SECONDS. Each must decode to a program or fail with an Error that says why; none may hang or
// throw anything else, and what decodes must encode back to a link that decodes the same.
// Crashing inputs go to tests/fuzz/corpus/share_js/ when found (kept as regression seeds).
//   node tests/fuzz/share_js.fuzz.mjs SECONDS
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
await import(path.join(here, '..', '..', 'web', 'share.js'));
const { encode, decode, base64urlEncode } = globalThis.loopscopeShare;
const seconds = Number(process.argv[2] || 60);

const seeds = [];
for (const dir of ['share', 'share_js']) {
  const d = path.join(here, 'corpus', dir);
  if (fs.existsSync(d)) for (const f of fs.readdirSync(d)) seeds.push(fs.readFileSync(path.join(d, f), 'utf8').trim());
}
let rng = 0x9e3779b9;
const rand = (n) => { rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5; return (rng >>> 0) % n; };
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=#/v1.%';
const packed = (text) => 'v1/' + base64urlEncode(zlib.deflateRawSync(Buffer.from(text)));
const JSONISH = ['{"src":"print(1)"}', '{"src":1}', '[1]', '{"src":"a","profile":{"x":[]}}', 'null', '"s"', '{"src":"\\ud800"}',
                 '{"src":"x","workers":1e309}', '{', '{"src":"' + 'a'.repeat(2000) + '"}'];

function mutate() {
  switch (rand(6)) {
    case 0: {  // a seed with bytes changed, inserted or removed
      let s = seeds[rand(seeds.length)] || 'v1/';
      for (let k = rand(4) + 1; k > 0; --k) {
        const at = rand(s.length + 1), c = ALPHA[rand(ALPHA.length)];
        s = rand(3) === 0 ? s.slice(0, at) + s.slice(at + 1) : rand(2) ? s.slice(0, at) + c + s.slice(at) : s.slice(0, at) + c + s.slice(at + 1);
      }
      return s;
    }
    case 1: return seeds[rand(seeds.length)].slice(0, rand(seeds[0].length + 1));  // truncated
    case 2: return 'v1/' + Array.from({ length: rand(200) }, () => ALPHA[rand(64)]).join('');  // random base64url
    case 3: return packed(Buffer.from(Array.from({ length: rand(300) }, () => rand(256))).toString('latin1'));  // compressed junk
    case 4: {  // compressed near-JSON
      let j = JSONISH[rand(JSONISH.length)];
      if (rand(2)) j = j.slice(0, rand(j.length + 1));
      return packed(j);
    }
    default: return Array.from({ length: rand(40) }, () => String.fromCharCode(rand(0x3000))).join('');  // any text
  }
}

const withTimeout = (p, ms) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error('HANG')), ms))]);
let runs = 0, decoded = 0, refused = 0;
const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
  const input = mutate();
  ++runs;
  let state;
  try {
    state = await withTimeout(decode(input), 5000);
  } catch (e) {
    if (!(e instanceof Error) || e.message === 'HANG' || !/share/.test(e.message)) {
      fs.mkdirSync(path.join(here, 'corpus', 'share_js'), { recursive: true });
      const file = path.join(here, 'corpus', 'share_js', `crash-${runs}`);
      fs.writeFileSync(file, input);
      console.error(`FAIL: ${e && e.message}: the input is in ${file}`);
      process.exit(1);
    }
    ++refused;
    continue;
  }
  ++decoded;
  const again = await decode(await encode(state));
  if (again.src !== state.src) {
    console.error('FAIL: a decoded link does not encode back to the same program: ' + JSON.stringify(input));
    process.exit(1);
  }
}
console.log(`share_js: ${runs} inputs in ${seconds} s (${decoded} decoded, ${refused} refused with a reason), no hang, no crash`);
