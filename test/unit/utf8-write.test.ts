import { describe, expect, it } from 'vitest';
import { jsonStringMaxBytes, LATIN1_JSON_MAX_BYTES, writeJsonString, writeLatin1JsonChars, writeUtf8 } from '../../src/shared/utf8-write.js';

/** A deterministic generator (mulberry32), so a failure names a string that can be made again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code units a JSON string treats differently: controls, quote, backslash, DEL, Latin-1, BMP, both surrogate halves. */
const UNITS = [0, 1, 8, 9, 10, 12, 13, 0x1f, 0x20, 0x22, 0x2f, 0x5c, 0x41, 0x7e, 0x7f, 0x80, 0xe9, 0xff, 0x100, 0x4e00, 0xd83d, 0xde80, 0xdc00, 0xfffd, 0xffff];

function randomText(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    // Mostly plain ASCII, as tokens are, with every special unit turning up.
    text += next() < 0.7 ? String.fromCharCode(0x20 + Math.floor(next() * 95)) : String.fromCharCode(UNITS[Math.floor(next() * UNITS.length)]!);
  }
  return text;
}

describe('writeJsonString', () => {
  it('writes the bytes of JSON.stringify(text) as UTF-8, for short and long texts of every kind of code unit', () => {
    const next = random(31);
    for (let round = 0; round < 5000; round++) {
      const text = randomText(next, Math.floor(next() * (round % 10 === 0 ? 200 : 40)));
      const bytes = Buffer.alloc(jsonStringMaxBytes(text) + 8, 0xaa);
      const end = writeJsonString(bytes, 4, text);
      expect(end - 4, 'within jsonStringMaxBytes').toBeLessThanOrEqual(jsonStringMaxBytes(text));
      const expected = Buffer.from(JSON.stringify(text));
      expect(bytes.subarray(4, end).equals(expected), JSON.stringify(text)).toBe(true);
      // Nothing written outside its room.
      expect(bytes.subarray(0, 4).every((byte) => byte === 0xaa)).toBe(true);
      expect(bytes.subarray(end).every((byte) => byte === 0xaa)).toBe(true);
    }
  });

  it('needs no more than jsonStringMaxBytes, which fits exactly the worst texts: controls and lone surrogates (\\uXXXX), and long 3-byte text', () => {
    for (const text of ['\u0001'.repeat(50), '\ud800'.repeat(50), '\u0001', '漢'.repeat(100)]) {
      const bytes = Buffer.alloc(jsonStringMaxBytes(text));
      expect(writeJsonString(bytes, 0, text), JSON.stringify(text)).toBe(bytes.length);
    }
  });
});

describe('writeUtf8', () => {
  it('writes what Buffer.from(text) would, short ASCII by hand and anything else through the encoder', () => {
    const next = random(7);
    for (let round = 0; round < 2000; round++) {
      const text = randomText(next, Math.floor(next() * 60));
      const bytes = Buffer.alloc(text.length * 3 + 2, 0xaa);
      const end = writeUtf8(bytes, 1, text);
      expect(bytes.subarray(1, end).equals(Buffer.from(text)), JSON.stringify(text)).toBe(true);
    }
  });
});

describe('writeLatin1JsonChars', () => {
  it('writes the inside of JSON.stringify of latin1 text, every byte value, resumed wherever the room runs out', () => {
    const text = Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => i % 256));
    const expected = Buffer.from(JSON.stringify(text.toString('latin1')).slice(1, -1));
    for (const room of [LATIN1_JSON_MAX_BYTES, 7, 64, 1000, 1 << 16]) {
      const parts: Buffer[] = [];
      for (let next = 0; next < text.length; ) {
        const bytes = Buffer.alloc(room + 4, 0xaa);
        const written = writeLatin1JsonChars(bytes, 2, room + 2, text, next);
        expect(written.next, 'progress').toBeGreaterThan(next);
        expect(
          bytes.subarray(written.at).every((byte) => byte === 0xaa),
          'nothing past its room',
        ).toBe(true);
        parts.push(bytes.subarray(2, written.at));
        next = written.next;
      }
      expect(Buffer.concat(parts).equals(expected), `room ${room}`).toBe(true);
    }
  });
});
