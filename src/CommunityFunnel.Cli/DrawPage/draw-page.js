/*
 * fair-draw/v1 in the browser: a second, independent implementation of /shared/specs/fair-draw-v1.md
 * (sections 1-8), written from the spec, used by the page `community-funnel draw page` writes.
 *
 * Language level: ES2017 at most, as a classic script (no modules). Relied on: let/const, arrow functions,
 * Promise, async/await, typed arrays, Map. Not used: optional chaining, ??, BigInt, object spread, modules.
 * SHA-256 and HMAC-SHA-256 come from WebCrypto (crypto.subtle) where the page has it; a small pure-JS
 * implementation (below) is used where it does not (plain-http hosts, old WebViews), or when `?impl=js` is
 * in the address or `window.FAIR_DRAW_FORCE_JS = true` is set before this script runs.
 */
(function (global) {
  'use strict';

  var VERSION = 'fair-draw/v1';
  // fair-draw/v1.1 (docs/fair-draw.md): v1 plus a `drand` object naming the round chosen at creation.
  var VERSION_DRAND = 'fair-draw/v1.1';
  var DRAND_LABEL = 'community-funnel/fair-draw/v1.1/drand';
  var DRAND_MAX_ROUND = 4294967295;
  var DRAND_CHAINS = {
    '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971': { name: 'quicknet', genesis: 1692803367, period: 3 },
    '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce': { name: 'mainnet', genesis: 1595431050, period: 30 }
  };
  var MAX_TOTAL_WEIGHT = 9007199254740991; // 2^53 - 1
  var MAX_WEIGHT = 4294967295;
  var MAX_SLOTS = 100000;
  var MAX_ENTROPY = 4096;
  var MAX_STRING_BYTES = 256;
  var TWO32 = 4294967296;
  var BATCH = 4096;

  // ---------------------------------------------------------------- hex, UTF-8, text

  var HEX = [];
  for (var h = 0; h < 256; h++) {
    HEX[h] = (h < 16 ? '0' : '') + h.toString(16);
  }

  function toHex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) {
      s += HEX[bytes[i]];
    }
    return s;
  }

  /** Hex of either case to bytes; null when it is not hex (odd length or another character). */
  function fromHex(text) {
    if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
      return null;
    }
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) {
      out[i] = parseInt(text.substr(2 * i, 2), 16);
    }
    return out;
  }

  /** UTF-8 bytes of a string; null when it holds a lone surrogate (TextEncoder would silently write U+FFFD). */
  function utf8(s) {
    var buf = new Uint8Array(s.length * 3);
    var p = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) {
        buf[p++] = c;
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        if (c > 0xdbff || i + 1 >= s.length) {
          return null;
        }
        var d = s.charCodeAt(i + 1);
        if (d < 0xdc00 || d > 0xdfff) {
          return null;
        }
        i++;
        var cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[p++] = 0xf0 | (cp >> 18);
        buf[p++] = 0x80 | ((cp >> 12) & 63);
        buf[p++] = 0x80 | ((cp >> 6) & 63);
        buf[p++] = 0x80 | (cp & 63);
      } else {
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 63);
        buf[p++] = 0x80 | (c & 63);
      }
    }
    return buf.slice(0, p);
  }

  function ascii(s) {
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) {
      out[i] = s.charCodeAt(i);
    }
    return out;
  }

  /**
   * Section 1: order of the UTF-8 bytes, which is code-point order. UTF-16 code units agree with it except that
   * surrogates (U+D800..U+DFFF, the astral planes) must sort after U+E000..U+FFFF.
   */
  function compareCodePoints(a, b) {
    var n = a.length < b.length ? a.length : b.length;
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800) {
          x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
          y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
        }
        return x - y;
      }
    }
    return a.length - b.length;
  }

  /** As the C# verifier shortens values in a difference: at most 80 UTF-16 units. */
  function shorten(text) {
    return text.length <= 80 ? text : text.substr(0, 77) + '...';
  }

  function quote(value) {
    return value === null || value === undefined ? 'null' : '"' + shorten(String(value)) + '"';
  }

  function num(value) {
    return value === null || value === undefined ? 'null' : String(value);
  }

  function equalBytes(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }

  function concat(parts) {
    var length = 0;
    var i;
    for (i = 0; i < parts.length; i++) {
      length += parts[i].length;
    }
    var out = new Uint8Array(length);
    var p = 0;
    for (i = 0; i < parts.length; i++) {
      out.set(parts[i], p);
      p += parts[i].length;
    }
    return out;
  }

  function u32be(x) {
    return new Uint8Array([(x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
  }

  function u64be(x) {
    var hi = Math.floor(x / TWO32);
    var lo = x - hi * TWO32;
    var out = new Uint8Array(8);
    out.set(u32be(hi), 0);
    out.set(u32be(lo), 4);
    return out;
  }

  // ---------------------------------------------------------------- pure-JS SHA-256 (FIPS 180-4) and HMAC (RFC 2104)

  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Int32Array(64);
  var HS = new Int32Array(8);

  function compress(m, off) {
    var t;
    for (t = 0; t < 16; t++) {
      var q = off + 4 * t;
      W[t] = (m[q] << 24) | (m[q + 1] << 16) | (m[q + 2] << 8) | m[q + 3];
    }
    for (t = 16; t < 64; t++) {
      var x = W[t - 15];
      var y = W[t - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
    }
    var a = HS[0], b = HS[1], c = HS[2], d = HS[3], e = HS[4], f = HS[5], g = HS[6], hh = HS[7];
    for (t = 0; t < 64; t++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var ch = (e & f) ^ (~e & g);
      var t1 = (hh + S1 + ch + K[t] + W[t]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var maj = (a & b) ^ (a & c) ^ (b & c);
      var t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    HS[0] = (HS[0] + a) | 0;
    HS[1] = (HS[1] + b) | 0;
    HS[2] = (HS[2] + c) | 0;
    HS[3] = (HS[3] + d) | 0;
    HS[4] = (HS[4] + e) | 0;
    HS[5] = (HS[5] + f) | 0;
    HS[6] = (HS[6] + g) | 0;
    HS[7] = (HS[7] + hh) | 0;
  }

  /** SHA-256 of bytes, written to out[at..at+32) (a new array when out is not given). */
  function sha256js(data, out, at) {
    var len = data.length;
    var total = (((len + 8) >> 6) + 1) * 64;
    var buf = new Uint8Array(total);
    buf.set(data);
    buf[len] = 0x80;
    var bitsHi = Math.floor(len / 0x20000000);
    var bitsLo = (len * 8) >>> 0;
    buf.set(u32be(bitsHi), total - 8);
    buf.set(u32be(bitsLo), total - 4);
    HS[0] = 0x6a09e667; HS[1] = 0xbb67ae85 | 0; HS[2] = 0x3c6ef372; HS[3] = 0xa54ff53a | 0;
    HS[4] = 0x510e527f; HS[5] = 0x9b05688c | 0; HS[6] = 0x1f83d9ab; HS[7] = 0x5be0cd19;
    for (var off = 0; off < total; off += 64) {
      compress(buf, off);
    }
    if (!out) {
      out = new Uint8Array(32);
      at = 0;
    }
    for (var i = 0; i < 8; i++) {
      var v = HS[i];
      out[at + 4 * i] = (v >>> 24) & 255;
      out[at + 4 * i + 1] = (v >>> 16) & 255;
      out[at + 4 * i + 2] = (v >>> 8) & 255;
      out[at + 4 * i + 3] = v & 255;
    }
    return out;
  }

  function hmacjs(key, message) {
    if (key.length > 64) {
      key = sha256js(key);
    }
    var inner = new Uint8Array(64 + message.length);
    var outer = new Uint8Array(64 + 32);
    for (var i = 0; i < 64; i++) {
      var k = i < key.length ? key[i] : 0;
      inner[i] = k ^ 0x36;
      outer[i] = k ^ 0x5c;
    }
    inner.set(message, 64);
    sha256js(inner, outer, 64);
    return sha256js(outer);
  }

  // ---------------------------------------------------------------- crypto providers (batched, asynchronous)

  /** Pure JS: each call hashes a list of messages into one array of 32-byte hashes laid end to end. */
  function jsProvider() {
    return {
      name: 'js',
      digestAll: function (list) {
        var out = new Uint8Array(list.length * 32);
        for (var i = 0; i < list.length; i++) {
          sha256js(list[i], out, 32 * i);
        }
        return Promise.resolve(out);
      },
      hmacAll: function (key, list) {
        var out = new Uint8Array(list.length * 32);
        for (var i = 0; i < list.length; i++) {
          out.set(hmacjs(key, list[i]), 32 * i);
        }
        return Promise.resolve(out);
      }
    };
  }

  function subtleProvider(subtle) {
    function gather(promises) {
      return Promise.all(promises).then(function (results) {
        var out = new Uint8Array(results.length * 32);
        for (var i = 0; i < results.length; i++) {
          out.set(new Uint8Array(results[i]), 32 * i);
        }
        return out;
      });
    }
    return {
      name: 'webcrypto',
      digestAll: function (list) {
        var promises = new Array(list.length);
        for (var i = 0; i < list.length; i++) {
          promises[i] = subtle.digest('SHA-256', list[i]);
        }
        return gather(promises);
      },
      hmacAll: function (key, list) {
        return subtle.importKey('raw', key, { name: 'HMAC', hash: { name: 'SHA-256' } }, false, ['sign'])
          .then(function (cryptoKey) {
            var promises = new Array(list.length);
            for (var i = 0; i < list.length; i++) {
              promises[i] = subtle.sign('HMAC', cryptoKey, list[i]);
            }
            return gather(promises);
          });
      }
    };
  }

  /** 'webcrypto' when crypto.subtle is there and not overridden, else 'js'. */
  function chooseProvider(impl) {
    var forced = impl === 'js' || global.FAIR_DRAW_FORCE_JS === true;
    var subtle = global.crypto && global.crypto.subtle;
    if (!forced && impl !== 'js' && subtle && typeof subtle.digest === 'function') {
      return subtleProvider(subtle);
    }
    if (impl === 'webcrypto') {
      throw new Error('crypto.subtle is not available here');
    }
    return jsProvider();
  }

  /**
   * The default path where WebCrypto is there: WebCrypto checks the page's own SHA-256 and HMAC on this device first
   * (message lengths around the 64-byte block and padding boundaries, keys shorter and longer than a block), and
   * when every result agrees the bulk hashing uses the page's own code, which is about 3x faster for large draws
   * (WebCrypto pays a promise round trip per hash). Any disagreement: WebCrypto does all the work.
   */
  async function checkedProvider(web) {
    var js = jsProvider();
    var lengths = [0, 3, 32, 55, 56, 63, 64, 65, 103, 119, 120, 263, 1000];
    var messages = lengths.map(function (n) {
      var m = new Uint8Array(n);
      for (var i = 0; i < n; i++) {
        m[i] = (i * 31 + n) & 255;
      }
      return m;
    });
    var inputs = [u64be(0), u64be(4294967297), messages[8]];
    // All WebCrypto calls at once: on a slow phone each round trip to its thread costs, so pay one.
    var answers = await Promise.all([
      web.digestAll(messages), web.hmacAll(messages[2], inputs), web.hmacAll(messages[12], inputs),
      js.digestAll(messages), js.hmacAll(messages[2], inputs), js.hmacAll(messages[12], inputs)
    ]);
    var same = equalBytes(answers[0], answers[3]) && equalBytes(answers[1], answers[4]) && equalBytes(answers[2], answers[5]);
    if (!same) {
      return web;
    }
    return { name: 'webcrypto+js', digestAll: js.digestAll, hmacAll: js.hmacAll };
  }

  /** A macrotask break: lets the browser paint and handle input between batches (promises alone would not). */
  function yieldToBrowser() {
    return new Promise(function (resolve) {
      if (typeof MessageChannel === 'function') {
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(); };
        channel.port2.postMessage(0);
      } else {
        setTimeout(resolve, 0);
      }
    });
  }

  /** Hashes many messages in batches, so that progress can be shown and memory stays bounded. */
  async function digestAll(crypto, list, onBatch) {
    var out = new Uint8Array(list.length * 32);
    for (var start = 0; start < list.length; start += BATCH) {
      if (start > 0) {
        await yieldToBrowser();
      }
      var part = await crypto.digestAll(list.slice(start, start + BATCH));
      out.set(part, start * 32);
      if (onBatch) {
        onBatch(Math.min(list.length, start + BATCH));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- section 2: RFC 6962 Merkle tree

  /**
   * All levels of the RFC 6962 tree over leaf hashes (32 bytes each, laid end to end). Pairing neighbours level by
   * level and lifting an unpaired last node unchanged gives exactly MTH's split at the largest power of two.
   */
  async function merkleLevels(crypto, leafHashes, onBatch) {
    var levels = [leafHashes];
    var level = leafHashes;
    var size = leafHashes.length / 32;
    while (size > 1) {
      var pairs = size >> 1;
      var inputs = new Array(pairs);
      for (var p = 0; p < pairs; p++) {
        var node = new Uint8Array(65);
        node[0] = 0x01;
        node.set(level.subarray(64 * p, 64 * p + 64), 1);
        inputs[p] = node;
      }
      var hashed = await digestAll(crypto, inputs, onBatch);
      var nextSize = pairs + (size & 1);
      var next = new Uint8Array(nextSize * 32);
      next.set(hashed, 0);
      if (size & 1) {
        next.set(level.subarray((size - 1) * 32, size * 32), pairs * 32);
      }
      levels.push(next);
      level = next;
      size = nextSize;
    }
    return levels;
  }

  function leafInput(idBytes, weight) {
    var out = new Uint8Array(1 + 2 + idBytes.length + 4);
    out[0] = 0x00;
    out[1] = (idBytes.length >> 8) & 255;
    out[2] = idBytes.length & 255;
    out.set(idBytes, 3);
    out.set(u32be(weight), 3 + idBytes.length);
    return out;
  }

  /** RFC 6962 section 2.1.1 audit path of leaf m, bottom up, from the levels. */
  function auditPath(levels, m) {
    var path = [];
    var i = m;
    for (var l = 0; l < levels.length - 1; l++) {
      var size = levels[l].length / 32;
      var sibling = i ^ 1;
      if (sibling < size) {
        path.push(levels[l].slice(32 * sibling, 32 * sibling + 32));
      }
      i = i >> 1;
    }
    return path;
  }

  /** RFC 9162 section 2.1.3.2: does the audit path lead from the leaf hash to the root? */
  async function verifyInclusion(crypto, leafHash, index, size, path, root) {
    if (index >= size) {
      return false;
    }
    var fn = index;
    var sn = size - 1;
    var r = leafHash;
    for (var i = 0; i < path.length; i++) {
      var p = path[i];
      if (sn === 0) {
        return false;
      }
      if ((fn & 1) === 1 || fn === sn) {
        r = (await crypto.digestAll([concat([new Uint8Array([1]), p, r])])).subarray(0, 32);
        while ((fn & 1) === 0 && fn !== 0) {
          fn = fn >> 1;
          sn = sn >> 1;
        }
      } else {
        r = (await crypto.digestAll([concat([new Uint8Array([1]), r, p])])).subarray(0, 32);
      }
      fn = fn >> 1;
      sn = sn >> 1;
    }
    return sn === 0 && equalBytes(r, root);
  }

  // ---------------------------------------------------------------- sections 4-5: the stream, uniform integers

  /** (2 acc + bit) mod n for 0 <= acc < n < 2^53, without leaving the exact range of doubles. */
  function doubleMod(acc, bit, n) {
    var gap = n - acc - bit;
    return acc >= gap ? acc - gap : acc + acc + bit;
  }

  /** (hi 2^32 + lo) mod n, exact for 1 <= n < 2^53. */
  function mod64(hi, lo, n) {
    if (n <= 2097152) {
      return ((hi % n) * TWO32 + lo) % n;
    }
    var acc = 0;
    var k;
    for (k = 31; k >= 0; k--) {
      acc = doubleMod(acc, (hi >>> k) & 1, n);
    }
    for (k = 31; k >= 0; k--) {
      acc = doubleMod(acc, (lo >>> k) & 1, n);
    }
    return acc;
  }

  function Words(blocks) {
    this.blocks = blocks;
    this.next = 0;
    this.count = blocks.length / 8;
  }

  function OutOfWords() {}

  /** Section 5: uniform integer below n; consumes a word on every attempt. */
  Words.prototype.uniform = function (n) {
    var r = (mod64(0xffffffff, 0xffffffff, n) + 1) % n;
    var rHi = Math.floor(r / TWO32);
    var limitHi = 0xffffffff - rHi;
    var limitLo = 0xffffffff - (r - rHi * TWO32);
    for (;;) {
      if (this.next >= this.count) {
        throw new OutOfWords();
      }
      var at = 8 * this.next++;
      var b = this.blocks;
      var hi = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
      var lo = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0;
      if (hi < limitHi || (hi === limitHi && lo <= limitLo)) {
        return mod64(hi, lo, n);
      }
    }
  };

  // ---------------------------------------------------------------- section 6-7: selection, forfeits

  function Remaining(weights) {
    var n = weights.length;
    var tree = new Float64Array(n + 1);
    var i;
    for (i = 0; i < n; i++) {
      tree[i + 1] = weights[i];
    }
    for (i = 1; i <= n; i++) {
      var j = i + (i & -i);
      if (j <= n) {
        tree[j] += tree[i];
      }
    }
    var top = 1;
    while (top * 2 <= n) {
      top *= 2;
    }
    this.tree = tree;
    this.n = n;
    this.top = top;
    this.count = n;
    this.total = 0;
    for (i = 0; i < n; i++) {
      this.total += weights[i];
    }
  }

  /** The first position whose running total is greater than t (removed entries weigh nothing). */
  Remaining.prototype.find = function (t) {
    var pos = 0;
    var rest = t;
    for (var step = this.top; step > 0; step = step >> 1) {
      var next = pos + step;
      if (next <= this.n && this.tree[next] <= rest) {
        pos = next;
        rest -= this.tree[next];
      }
    }
    return pos;
  };

  Remaining.prototype.remove = function (position, weight) {
    for (var i = position + 1; i <= this.n; i += i & -i) {
      this.tree[i] -= weight;
    }
    this.count--;
    this.total -= weight;
  };

  function ruleError(field, rule, problem) {
    return { field: field, expected: 'rule: ' + rule, actual: field + ': ' + problem + ' (rule: ' + rule + ')' };
  }

  /** Sections 6 and 7 over the words; returns {winners} or {error}; throws OutOfWords when the words run out. */
  function select(canonical, prizes, forfeited, words) {
    var remaining = new Remaining(canonical.map(function (e) { return e.weight; }));
    var winners = [];
    var current = new Map();
    function draw(tier, slot, replaces) {
      var ticket = words.uniform(remaining.total);
      var position = remaining.find(ticket);
      var entry = canonical[position];
      remaining.remove(position, entry.weight);
      var w = { tier: tier, slot: slot, entry: entry.id, ticket: ticket, replaces: replaces };
      current.set(entry.id, w);
      return w;
    }
    for (var p = 0; p < prizes.length; p++) {
      for (var slot = 0; slot < prizes[p].count; slot++) {
        if (remaining.count === 0) {
          break;
        }
        winners.push(draw(prizes[p].tier, slot, null));
      }
    }
    var gone = new Map();
    for (var f = 0; f < forfeited.length; f++) {
      var id = forfeited[f];
      var lost = typeof id === 'string' ? current.get(id) : undefined;
      if (lost === undefined) {
        return { error: ruleError('forfeited[' + f + ']', 'a forfeited id is a current winner',
          "'" + shorten(typeof id === 'string' ? id : 'null') + "' is not a current winner") };
      }
      if (gone.has(id)) {
        return { error: ruleError('forfeited[' + f + ']', 'a winner is forfeited at most once', "'" + shorten(id) + "' is already forfeited") };
      }
      gone.set(id, true);
      current.delete(id);
      if (remaining.count === 0) {
        winners.push({ tier: lost.tier, slot: lost.slot, entry: null, ticket: null, replaces: id });
      } else {
        winners.push(draw(lost.tier, lost.slot, id));
      }
    }
    return { winners: winners };
  }

  // ---------------------------------------------------------------- input rules (spec "Inputs")

  function validateString(value, field, rule) {
    if (typeof value !== 'string' || value.length === 0) {
      return ruleError(field, rule, 'the value is empty');
    }
    var bytes = utf8(value);
    if (bytes === null) {
      return ruleError(field, rule, "'" + shorten(value) + "' contains a lone surrogate");
    }
    if (bytes.length > MAX_STRING_BYTES) {
      return ruleError(field, rule, 'the value is ' + bytes.length + ' UTF-8 bytes');
    }
    return null;
  }

  function validatePrizes(prizes) {
    var names = new Map();
    var slots = 0;
    for (var i = 0; i < prizes.length; i++) {
      var error = validateString(prizes[i].tier, 'prizes[' + i + '].tier',
        'tier names are non-empty, valid Unicode, at most 256 UTF-8 bytes');
      if (error) {
        return error;
      }
      if (names.has(prizes[i].tier)) {
        return ruleError('prizes[' + i + '].tier', 'tier names are unique', "the tier '" + prizes[i].tier + "' appears more than once");
      }
      names.set(prizes[i].tier, true);
      if (prizes[i].count < 1) {
        return ruleError('prizes[' + i + '].count', 'count >= 1', 'the count is ' + prizes[i].count);
      }
      slots += prizes[i].count;
      if (slots > MAX_SLOTS) {
        return ruleError('prizes', 'total slots at most 100000', 'the tiers have more than ' + MAX_SLOTS + ' slots');
      }
    }
    return null;
  }

  /** Entries checked in their given order, encoded and sorted canonically: {canonical, bytes, total} or {error}. */
  function prepareEntries(entries) {
    var n = entries.length;
    if (n === 0) {
      return { error: ruleError('entries', 'at least one entry', 'the draw has no entries') };
    }
    var total = 0;
    var i;
    for (i = 0; i < n; i++) {
      var e = entries[i];
      if (e.id.length === 0) {
        return { error: ruleError('entries[' + i + '].id', 'id is non-empty', 'the id is empty') };
      }
      if (e.weight < 1 || e.weight > MAX_WEIGHT) {
        return { error: ruleError('entries[' + i + '].weight', '1 <= weight <= 4294967295',
          'weight ' + e.weight + " of entry '" + shorten(e.id) + "' is out of range") };
      }
      total += e.weight;
      if (total > MAX_TOTAL_WEIGHT) {
        return { error: ruleError('entries', 'sum of weights <= 2^53 - 1', 'the total weight exceeds 2^53 - 1 at entries[' + i + ']') };
      }
    }
    var bytes = new Array(n);
    for (i = 0; i < n; i++) {
      var b = utf8(entries[i].id);
      if (b === null) {
        return { error: ruleError('entries[' + i + '].id', 'ids are valid Unicode', "the id '" + shorten(entries[i].id) + "' contains a lone surrogate") };
      }
      if (b.length > MAX_STRING_BYTES) {
        return { error: ruleError('entries[' + i + '].id', 'id is at most 256 UTF-8 bytes', "the id '" + shorten(entries[i].id) + "' is " + b.length + ' UTF-8 bytes') };
      }
      bytes[i] = b;
    }
    var order = new Array(n);
    var sorted = true;
    for (i = 0; i < n; i++) {
      order[i] = i;
      if (i > 0 && sorted && compareCodePoints(entries[i - 1].id, entries[i].id) >= 0) {
        sorted = false;
      }
    }
    if (!sorted) {
      order.sort(function (x, y) { return compareCodePoints(entries[x].id, entries[y].id) || x - y; });
      for (i = 1; i < n; i++) {
        if (entries[order[i - 1]].id === entries[order[i]].id) {
          var first = Math.min(order[i - 1], order[i]);
          var second = Math.max(order[i - 1], order[i]);
          return { error: ruleError('entries', 'ids are unique', "the id '" + shorten(entries[second].id) +
            "' appears more than once (entries[" + first + '] and entries[' + second + '])') };
        }
      }
    }
    var canonical = new Array(n);
    var canonicalBytes = new Array(n);
    for (i = 0; i < n; i++) {
      canonical[i] = entries[order[i]];
      canonicalBytes[i] = bytes[order[i]];
    }
    return { canonical: canonical, bytes: canonicalBytes, total: total };
  }

  // ---------------------------------------------------------------- the shape of a proof document (section 8)

  function isInteger(v) {
    return typeof v === 'number' && isFinite(v) && Math.floor(v) === v;
  }

  function shapeError(field, expected, actual) {
    return { field: field, expected: expected, actual: actual === undefined ? 'missing' : JSON.stringify(actual) };
  }

  function checkShape(proof) {
    if (proof === null || typeof proof !== 'object' || Array.isArray(proof)) {
      return shapeError('proof', 'a JSON object', proof);
    }
    var strings = ['version', 'drawId', 'entriesRoot', 'commitment', 'serverSeed', 'publicEntropy'];
    var i;
    for (i = 0; i < strings.length; i++) {
      if (typeof proof[strings[i]] !== 'string') {
        return shapeError(strings[i], 'a string', proof[strings[i]]);
      }
    }
    if (!isInteger(proof.entryCount)) {
      return shapeError('entryCount', 'an integer', proof.entryCount);
    }
    if (!isInteger(proof.totalWeight)) {
      return shapeError('totalWeight', 'an integer', proof.totalWeight);
    }
    if (proof.drand !== undefined && proof.drand !== null) {
      var d = proof.drand;
      if (typeof d !== 'object' || Array.isArray(d) || typeof d.chain !== 'string' || !isInteger(d.round) ||
          typeof d.randomness !== 'string' || !(d.signature === undefined || d.signature === null || typeof d.signature === 'string')) {
        return shapeError('drand', '{"chain": string, "round": integer, "closedAt": string, "randomness": string[, "signature": string]}', d);
      }
      for (var key in d) {
        if (Object.prototype.hasOwnProperty.call(d, key) && ['chain', 'round', 'closedAt', 'randomness', 'signature'].indexOf(key) < 0) {
          return shapeError('drand', 'no field "' + key + '"', d);
        }
      }
      if (parseInstant(d.closedAt) === null) {
        return shapeError('drand.closedAt', 'a UTC instant yyyy-MM-ddTHH:mm:ss[.fffffff]Z', d.closedAt);
      }
    }
    var lists = ['prizes', 'forfeited', 'winners', 'entries'];
    for (i = 0; i < lists.length; i++) {
      if (!Array.isArray(proof[lists[i]])) {
        return shapeError(lists[i], 'a list', proof[lists[i]]);
      }
    }
    for (i = 0; i < proof.prizes.length; i++) {
      var p = proof.prizes[i];
      if (!p || typeof p.tier !== 'string' || !isInteger(p.count)) {
        return shapeError('prizes[' + i + ']', '{"tier": string, "count": integer}', p);
      }
    }
    for (i = 0; i < proof.forfeited.length; i++) {
      if (typeof proof.forfeited[i] !== 'string') {
        return shapeError('forfeited[' + i + ']', 'a string', proof.forfeited[i]);
      }
    }
    for (i = 0; i < proof.winners.length; i++) {
      var w = proof.winners[i];
      if (!w || typeof w.tier !== 'string' || !isInteger(w.slot) ||
          !(w.entry === null || typeof w.entry === 'string') || !(w.ticket === null || isInteger(w.ticket)) ||
          !(w.replaces === undefined || w.replaces === null || typeof w.replaces === 'string')) {
        return shapeError('winners[' + i + ']', '{"tier", "slot", "entry", "ticket"[, "replaces"]}', w);
      }
    }
    for (i = 0; i < proof.entries.length; i++) {
      var e = proof.entries[i];
      if (!e || typeof e.id !== 'string' || !isInteger(e.weight)) {
        return shapeError('entries[' + i + ']', '{"id": string, "weight": integer}', e);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- fair-draw/v1.1: the drand round named at creation

  /** A UTC instant "yyyy-MM-ddTHH:mm:ss[.fffffff]Z" as {seconds, ticks (0..9999999), text}; null when it is not one. */
  function parseInstant(text) {
    var m = typeof text === 'string' ? /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,7}))?Z$/.exec(text) : null;
    if (!m) {
      return null;
    }
    var f = [1, 2, 3, 4, 5, 6].map(function (i) { return parseInt(m[i], 10); });
    var d = new Date(0);
    d.setUTCFullYear(f[0], f[1] - 1, f[2]);
    d.setUTCHours(f[3], f[4], f[5], 0);
    if (f[0] < 1 || d.getUTCFullYear() !== f[0] || d.getUTCMonth() !== f[1] - 1 || d.getUTCDate() !== f[2] ||
        d.getUTCHours() !== f[3] || d.getUTCMinutes() !== f[4] || d.getUTCSeconds() !== f[5]) {
      return null;
    }
    var fraction = (m[7] || '').replace(/0+$/, '');
    var ticks = fraction === '' ? 0 : parseInt((fraction + '000000').substr(0, 7), 10);
    var canonical = text.substr(0, 19) + (fraction === '' ? '' : '.' + fraction) + 'Z';
    return { seconds: d.getTime() / 1000, ticks: ticks, text: canonical };
  }

  /** Whole seconds since 1970 as the proof writes instants: yyyy-MM-ddTHH:mm:ssZ. */
  function formatSeconds(seconds) {
    return new Date(seconds * 1000).toISOString().substr(0, 19) + 'Z';
  }

  /** The first round published at or after an instant: floor((t - genesis) / period) + 1, rounded up, at least 1. */
  function firstRoundAtOrAfter(chain, instant) {
    var since = instant.seconds - chain.genesis;
    if (since < 0 || (since === 0 && instant.ticks === 0)) {
      return 1;
    }
    var rounds = instant.ticks === 0 ? Math.ceil(since / chain.period) : Math.floor(since / chain.period) + 1;
    return rounds + 1;
  }

  /** SHA256(serverSeed || ASCII(label) || chainHash || u64be(round)): the commitment that binds the named round. */
  async function drandCommitment(crypto, seed, chainHash, round) {
    var message = concat([seed, ascii(DRAND_LABEL), fromHex(chainHash), u64be(round)]);
    return toHex((await crypto.digestAll([message])).subarray(0, 32));
  }

  /**
   * The first rule a proof's drand object breaks, in the C# verifier's order: a known chain, a round from 1, 32 bytes
   * of randomness that are SHA-256 of the signature, a round published at or after the close. When the round is
   * earlier than the close, the commitment tells which of the two changed: a round the commitment binds was named
   * at creation, so the close is the wrong one.
   */
  async function drandProblem(crypto, drand, seed, statedCommitment) {
    var chain = Object.prototype.hasOwnProperty.call(DRAND_CHAINS, drand.chain) ? DRAND_CHAINS[drand.chain] : null;
    if (!chain) {
      return difference('drand.chain', 'a drand chain this verifier knows (quicknet or mainnet)', quote(drand.chain));
    }
    if (drand.round < 1 || drand.round > DRAND_MAX_ROUND) {
      return difference('drand.round', 'rule: 1 <= round <= 4294967295', num(drand.round));
    }
    var randomness = fromHex(drand.randomness);
    if (randomness === null || randomness.length !== 32) {
      return difference('drand.randomness', '32 bytes of hex', quote(drand.randomness));
    }
    if (drand.signature !== undefined && drand.signature !== null) {
      var signature = fromHex(drand.signature);
      if (signature === null || signature.length === 0) {
        return difference('drand.signature', 'hex', quote(drand.signature));
      }
      var hashed = toHex((await crypto.digestAll([signature])).subarray(0, 32));
      if (hashed !== drand.randomness) {
        return difference('drand.randomness', quote(hashed), quote(drand.randomness));
      }
    }
    var closed = parseInstant(drand.closedAt);
    var published = chain.genesis + (drand.round - 1) * chain.period;
    if (published < closed.seconds || (published === closed.seconds && closed.ticks > 0)) {
      var named = seed.length === 32 && (await drandCommitment(crypto, seed, drand.chain, drand.round)) === statedCommitment;
      return named
        ? difference('drand.closedAt', 'at or before "' + formatSeconds(published) + '" (when round ' + drand.round + ' was published)', '"' + closed.text + '"')
        : difference('drand.round', 'at least ' + firstRoundAtOrAfter(chain, closed) + ' (published at or after drand.closedAt)', num(drand.round));
    }
    return null;
  }

  // ---------------------------------------------------------------- verification (section 8, last paragraph)

  function difference(field, expected, actual) {
    return { field: field, expected: expected, actual: actual };
  }

  function compareText(field, expected, actual) {
    return expected === actual ? null : difference(field, quote(expected), quote(actual));
  }

  function compareNumber(field, expected, actual) {
    return expected === actual ? null : difference(field, num(expected), num(actual));
  }

  function compareWinners(expected, actual) {
    var n = Math.min(expected.length, actual.length);
    for (var i = 0; i < n; i++) {
      var e = expected[i];
      var a = actual[i];
      var aReplaces = a.replaces === undefined ? null : a.replaces;
      var aTicket = a.ticket === undefined ? null : a.ticket;
      var aEntry = a.entry === undefined ? null : a.entry;
      var d = compareText('winners[' + i + '].tier', e.tier, a.tier) ||
        compareNumber('winners[' + i + '].slot', e.slot, a.slot) ||
        compareText('winners[' + i + '].entry', e.entry, aEntry) ||
        compareNumber('winners[' + i + '].ticket', e.ticket, aTicket) ||
        compareText('winners[' + i + '].replaces', e.replaces, aReplaces);
      if (d) {
        return d;
      }
    }
    return compareNumber('winners.length', expected.length, actual.length);
  }

  function compareEntries(expected, actual) {
    var n = Math.min(expected.length, actual.length);
    for (var i = 0; i < n; i++) {
      if (expected[i].id === actual[i].id && expected[i].weight === actual[i].weight) {
        continue;
      }
      var d = compareText('entries[' + i + '].id', expected[i].id, actual[i].id) ||
        compareNumber('entries[' + i + '].weight', expected[i].weight, actual[i].weight);
      if (d) {
        return d;
      }
    }
    return compareNumber('entries.length', expected.length, actual.length);
  }

  function describe(d) {
    return d.field + ': expected ' + (d.expected === null ? 'null' : d.expected) + ', actual ' + (d.actual === null ? 'null' : d.actual);
  }

  function finish(result, d) {
    result.valid = d === null;
    result.difference = d;
    result.text = d === null ? 'valid' : describe(d);
    return result;
  }

  /**
   * Recomputes sections 1-7 from a proof document and compares every field in document order.
   * Resolves to {valid, difference: {field, expected, actual} | null, text, checks, computed, impl, ms}.
   * options: {impl: 'auto'|'js'|'webcrypto', progress: function(stage, done, total)}.
   */
  async function verify(proof, options) {
    options = options || {};
    var started = Date.now();
    var crypto = chooseProvider(options.impl);
    if (crypto.name === 'webcrypto' && (options.impl === undefined || options.impl === null || options.impl === 'auto')) {
      crypto = await checkedProvider(crypto);
    }
    var progress = options.progress || function () {};
    var result = { impl: crypto.name, checks: { commitment: null, entriesRoot: null, winners: null, drand: null }, computed: null, drand: null };
    function done(d) {
      result.ms = Date.now() - started;
      return finish(result, d);
    }

    var shape = checkShape(proof);
    if (shape) {
      return done(shape);
    }
    var drand = proof.drand === undefined || proof.drand === null ? null : proof.drand;
    var version = drand ? VERSION_DRAND : VERSION;
    if (proof.version !== version) {
      return done(difference('version', quote(version), quote(proof.version)));
    }
    var seed = fromHex(proof.serverSeed);
    if (seed === null) {
      return done(difference('serverSeed', 'hex', quote(proof.serverSeed)));
    }
    var entropy = fromHex(proof.publicEntropy);
    if (entropy === null) {
      return done(difference('publicEntropy', 'hex', quote(proof.publicEntropy)));
    }
    if (drand) {
      var problem = await drandProblem(crypto, drand, seed, proof.commitment);
      if (problem) {
        result.checks.drand = false;
        return done(problem);
      }
      // fair-draw/v1.1: the entropy is the round's randomness; a different publicEntropy is the difference.
      entropy = fromHex(drand.randomness);
      result.drand = { chain: DRAND_CHAINS[drand.chain].name, round: drand.round, publishedAt: formatSeconds(DRAND_CHAINS[drand.chain].genesis + (drand.round - 1) * DRAND_CHAINS[drand.chain].period), closedAt: parseInstant(drand.closedAt).text };
    }
    var error = validateString(proof.drawId, 'drawId', 'drawId is non-empty, at most 256 UTF-8 bytes, valid Unicode') ||
      validatePrizes(proof.prizes);
    if (!error && seed.length !== 32) {
      error = ruleError('serverSeed', 'exactly 32 bytes', 'the seed is ' + seed.length + ' bytes');
    }
    if (!error && entropy.length > MAX_ENTROPY) {
      error = ruleError('publicEntropy', '0 to 4096 bytes', 'the entropy is ' + entropy.length + ' bytes');
    }
    if (error) {
      return done(error);
    }
    var prepared = prepareEntries(proof.entries);
    if (prepared.error) {
      return done(prepared.error);
    }
    var canonical = prepared.canonical;
    var n = canonical.length;

    // Section 3: the commitment.
    var commitment = drand
      ? await drandCommitment(crypto, seed, drand.chain, drand.round)
      : toHex((await crypto.digestAll([seed])).subarray(0, 32));
    result.checks.commitment = commitment === proof.commitment;
    if (drand) {
      result.checks.drand = result.checks.commitment && toHex(entropy) === proof.publicEntropy;
    }

    // Section 2: the entries root.
    var leafInputs = new Array(n);
    for (var i = 0; i < n; i++) {
      leafInputs[i] = leafInput(prepared.bytes[i], canonical[i].weight);
    }
    progress('leaves', 0, n);
    var leaves = await digestAll(crypto, leafInputs, function (k) { progress('leaves', k, n); });
    leafInputs = null;
    progress('tree', 0, n);
    var levels = await merkleLevels(crypto, leaves);
    var root = levels[levels.length - 1].slice(0, 32);
    var rootHex = toHex(root);
    result.checks.entriesRoot = rootHex === proof.entriesRoot;

    // Section 4: the draw key and the stream, blocks computed in advance (more when rejections need them).
    var drawIdBytes = utf8(proof.drawId);
    var msg = concat([ascii('community-funnel/fair-draw/v1'), u32be(drawIdBytes.length), drawIdBytes, root,
      u32be(entropy.length), entropy]);
    var drawKey = (await crypto.hmacAll(seed, [msg])).slice(0, 32);
    var slots = 0;
    for (var p = 0; p < proof.prizes.length; p++) {
      slots += proof.prizes[p].count;
    }
    var wordsNeeded = Math.min(slots, n) + proof.forfeited.length + 4;
    var blockCount = Math.ceil(wordsNeeded / 4);
    var selection;
    progress('winners', 0, wordsNeeded);
    var blocks = new Uint8Array(0);
    for (;;) {
      if (blocks.length < blockCount * 32) {
        var counters = [];
        for (var b = blocks.length / 32; b < blockCount; b++) {
          counters.push(u64be(b));
        }
        var more = new Uint8Array(blockCount * 32);
        more.set(blocks, 0);
        for (var start = 0; start < counters.length; start += BATCH) {
          more.set(await crypto.hmacAll(drawKey, counters.slice(start, start + BATCH)), blocks.length + start * 32);
        }
        blocks = more;
      }
      try {
        selection = select(canonical, proof.prizes, proof.forfeited, new Words(blocks));
        break;
      } catch (e) {
        if (!(e instanceof OutOfWords)) {
          throw e;
        }
        blockCount *= 2;
      }
    }

    var expected = {
      entryCount: n,
      totalWeight: prepared.total,
      entriesRoot: rootHex,
      commitment: commitment,
      serverSeed: toHex(seed),
      publicEntropy: toHex(entropy)
    };
    var index = new Map();
    for (var c = 0; c < n; c++) {
      index.set(canonical[c].id, c);
    }
    result.computed = {
      entries: canonical,
      levels: levels,
      index: index,
      root: rootHex,
      commitment: commitment,
      totalWeight: prepared.total,
      winners: selection.winners || null,
      crypto: crypto
    };

    var header = compareNumber('entryCount', expected.entryCount, proof.entryCount) ||
      compareNumber('totalWeight', expected.totalWeight, proof.totalWeight) ||
      compareText('entriesRoot', expected.entriesRoot, proof.entriesRoot) ||
      compareText('commitment', expected.commitment, proof.commitment) ||
      compareText('serverSeed', expected.serverSeed, proof.serverSeed) ||
      compareText('publicEntropy', expected.publicEntropy, proof.publicEntropy);
    if (header) {
      return done(header);
    }
    if (selection.error) {
      result.checks.winners = false;
      return done(selection.error);
    }
    var rest = compareWinners(selection.winners, proof.winners);
    result.checks.winners = rest === null;
    rest = rest || compareEntries(canonical, proof.entries);
    return done(rest);
  }

  /** An entry's inclusion proof from a verified tree, and its check against the published root (RFC 9162). */
  async function lookup(computed, publishedRoot, id) {
    if (!computed || !computed.index.has(id)) {
      return null;
    }
    var position = computed.index.get(id);
    var entry = computed.entries[position];
    var leaf = computed.levels[0].slice(32 * position, 32 * position + 32);
    var path = auditPath(computed.levels, position);
    var root = fromHex(publishedRoot) || new Uint8Array(0);
    var ok = await verifyInclusion(computed.crypto, leaf, position, computed.entries.length, path, root);
    return { id: entry.id, weight: entry.weight, leafIndex: position, treeSize: computed.entries.length, leafHash: toHex(leaf), path: path.map(toHex), valid: ok };
  }

  /** For tests: RFC 6962 root over raw leaf data (hex) with the chosen implementation. */
  async function rootOfLeafData(hexLeaves, impl) {
    var crypto = chooseProvider(impl);
    if (hexLeaves.length === 0) {
      return toHex((await crypto.digestAll([new Uint8Array(0)])).subarray(0, 32));
    }
    var inputs = hexLeaves.map(function (x) { return concat([new Uint8Array([0]), fromHex(x)]); });
    var levels = await merkleLevels(crypto, await digestAll(crypto, inputs));
    return toHex(levels[levels.length - 1].subarray(0, 32));
  }

  /** For tests: an RFC 6962 audit path over raw leaf data, checked with RFC 9162's algorithm. */
  async function inclusionOfLeafData(hexLeaves, index, impl) {
    var crypto = chooseProvider(impl);
    var inputs = hexLeaves.map(function (x) { return concat([new Uint8Array([0]), fromHex(x)]); });
    var levels = await merkleLevels(crypto, await digestAll(crypto, inputs));
    var path = auditPath(levels, index);
    var root = levels[levels.length - 1].slice(0, 32);
    var ok = await verifyInclusion(crypto, levels[0].slice(32 * index, 32 * index + 32), index, hexLeaves.length, path, root);
    return { path: path.map(toHex), valid: ok };
  }

  async function hashHex(kind, keyHex, dataHex, impl) {
    var crypto = chooseProvider(impl);
    var out = kind === 'hmac' ? await crypto.hmacAll(fromHex(keyHex), [fromHex(dataHex)]) : await crypto.digestAll([fromHex(dataHex)]);
    return toHex(out.subarray(0, 32));
  }

  global.FairDrawV1 = {
    verify: verify,
    lookup: lookup,
    describe: describe,
    rootOfLeafData: rootOfLeafData,
    inclusionOfLeafData: inclusionOfLeafData,
    hashHex: hashHex,
    chooseProvider: function (impl) { return chooseProvider(impl).name; },
    utf8Hex: function (s) { var b = utf8(s); return b === null ? null : toHex(b); },
    fromHex: fromHex,
    toHex: toHex
  };
})(typeof window !== 'undefined' ? window : this);
