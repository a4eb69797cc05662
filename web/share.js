// Share links in the page: the program and its settings in the URL fragment, nothing on a server.
//   #v1/<payload>, payload = base64url (RFC 4648 §5, no padding) of raw DEFLATE of UTF-8 JSON
//   {"src": "...", "profile": "tokio", "workers": 2, "seed": 1, "budget": 128 | "off", "real": false}
// The same format as `loopscope share` (cli/share.cpp). Decoding is bounded: a link never inflates
// past 16 MiB, and whatever is wrong with it becomes an Error whose message a user can act on.
// Works in the page and in Node 20 (tests/fuzz/share_js.fuzz.mjs feeds it random links).
(function (root) {
  'use strict';
  const MAX_JSON_BYTES = 16 << 20;
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  function base64urlEncode(bytes) {
    let out = '';
    let i = 0;
    for (; i + 3 <= bytes.length; i += 3) {
      const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
    }
    if (bytes.length - i === 1) {
      const v = bytes[i] << 16;
      out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
    } else if (bytes.length - i === 2) {
      const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
      out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63];
    }
    return out;
  }

  function base64urlDecode(text) {
    const out = new Uint8Array(Math.floor(text.length * 3 / 4) + 3);
    let n = 0, acc = 0, bits = 0;
    for (let i = 0; i < text.length; ++i) {
      const c = text.charCodeAt(i);
      let v;
      if (c >= 65 && c <= 90) v = c - 65;
      else if (c >= 97 && c <= 122) v = c - 97 + 26;
      else if (c >= 48 && c <= 57) v = c - 48 + 52;
      else if (c === 45) v = 62;
      else if (c === 95) v = 63;
      else if (c === 61) break;  // tolerate padding
      else throw new Error('the share link is damaged (it is not base64url text)');
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (acc >> bits) & 0xff;
      }
    }
    if (bits >= 6) throw new Error('the share link is damaged (it is not base64url text)');
    return out.subarray(0, n);
  }

  async function pump(stream, bytes, limit) {
    const writer = stream.writable.getWriter();
    // (the write's own promise rejects with the stream; its reason is read below)
    writer.write(bytes).catch(() => {});
    writer.close().catch(() => {});
    const reader = stream.readable.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        reader.cancel().catch(() => {});
        throw new Error('the share link holds more than 16 MiB');
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length; }
    return out;
  }

  // The payload for `state` ({src, profile, workers, seed, budget, real}).
  async function encode(state) {
    const json = new TextEncoder().encode(JSON.stringify(state));
    const packed = await pump(new CompressionStream('deflate-raw'), json, Infinity);
    return 'v1/' + base64urlEncode(packed);
  }

  // The state a link (whole, its fragment, or the payload with or without "v1/") carries.
  async function decode(link) {
    if (typeof link !== 'string') throw new Error('a share link is text');
    let payload = link;
    const at = payload.indexOf('#v1/');
    if (at >= 0) payload = payload.slice(at + 4);
    else if (payload.startsWith('v1/')) payload = payload.slice(3);
    else if (payload.includes('#')) throw new Error("this link's fragment is not a Loopscope share (expected #v1/...)");
    payload = payload.trim();
    if (payload.length > (MAX_JSON_BYTES / 2)) throw new Error('the share link holds more than 16 MiB');
    const packed = base64urlDecode(payload);
    let bytes;
    try {
      bytes = await pump(new DecompressionStream('deflate-raw'), packed, MAX_JSON_BYTES);
    } catch (e) {
      if (/16 MiB/.test(e.message)) throw e;
      throw new Error('the share link is damaged (its compressed data does not decode)');
    }
    let text, state;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw new Error('the share link does not hold a program (its text is not UTF-8)');
    }
    try {
      state = JSON.parse(text);
    } catch (e) {
      throw new Error('the share link does not hold a program (not JSON: ' + e.message + ')');
    }
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new Error('the share link does not hold a program (not a JSON object)');
    if (typeof state.src !== 'string') throw new Error('the share link does not hold a program (no "src")');
    return state;
  }

  root.loopscopeShare = { encode, decode, base64urlEncode, base64urlDecode };
})(typeof window !== 'undefined' ? window : globalThis);
