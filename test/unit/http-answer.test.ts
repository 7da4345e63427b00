// send's answers stand in for fetch's Response (without loading undici): what the clients read of them must be
// what a Response would give for the same status, headers and bytes.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type HttpAnswer, NodeAnswer, NodeHeaders, takeNodeBody } from '../../src/transport/http-answer.js';

const RAW = {
  'content-type': ['text/event-stream; charset=utf-8'],
  'x-codex-primary-used-percent': ['12'],
  'X-Codex-Plan-Type': ['plus'],
  'set-cookie': ['__cf_bm=a; Path=/', '_cfuvid=b; Path=/'],
  vary: ['accept', 'origin'],
  'x-empty': [''],
};

function asHeaders(raw: Record<string, string[]>): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(raw)) for (const value of values) headers.append(name, value);
  return headers;
}

const bytes = (...parts: (string | Uint8Array)[]) => parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part)));
const answer = (chunks: Buffer[] | undefined, status = 200) => new NodeAnswer(status, new NodeHeaders({}), chunks ? Readable.from(chunks) : undefined);
const response = (chunks: Buffer[] | undefined, status = 200) => new Response(chunks ? new Blob(chunks) : null, { status });

describe('NodeHeaders reads as Headers does', () => {
  const ours = new NodeHeaders(RAW);
  const theirs = asHeaders(RAW);

  it('get, has and getSetCookie, any case of the name', () => {
    for (const name of [...Object.keys(RAW), 'Content-Type', 'VARY', 'x-missing', 'set-cookie']) {
      expect(ours.get(name), name).toBe(theirs.get(name));
      expect(ours.has(name), name).toBe(theirs.has(name));
    }
    expect(ours.getSetCookie()).toEqual(theirs.getSetCookie());
  });

  it('iterates by sorted lower-case name, one entry per set-cookie', () => {
    expect([...ours]).toEqual([...theirs]);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    expect([...ours.values()]).toEqual([...theirs.values()]);
    expect([...ours.entries()]).toEqual([...theirs.entries()]);
    const seenOurs: string[][] = [];
    const seenTheirs: string[][] = [];
    ours.forEach((value, name, headers) => {
      seenOurs.push([name, value, String(headers === ours)]);
    });
    theirs.forEach((value, name, headers) => {
      seenTheirs.push([name, value, String(headers === theirs)]);
    });
    expect(seenOurs).toEqual(seenTheirs);
  });

  it('a header deleted is gone', () => {
    const headers = new NodeHeaders({ 'content-encoding': 'gzip', 'content-length': '10' });
    headers.delete('Content-Encoding');
    expect(headers.has('content-encoding')).toBe(false);
    expect([...headers]).toEqual([['content-length', '10']]);
  });
});

describe('NodeAnswer reads as Response does', () => {
  const cases: [string, Buffer[] | undefined][] = [
    ['text', bytes('héllo ', 'wörld')],
    ['a byte order mark', bytes(new Uint8Array([0xef, 0xbb, 0xbf]), 'after the mark')],
    ['bytes that are not UTF-8', bytes(new Uint8Array([0x61, 0xff, 0xc3]), 'b')],
    ['a character cut across reads', [Buffer.from([0xe2, 0x82]), Buffer.from([0xac])]],
    ['no body', undefined],
  ];
  for (const [what, chunks] of cases) {
    it(`text() and arrayBuffer(): ${what}`, async () => {
      expect(await answer(chunks).text()).toBe(await response(chunks).text());
      expect(Buffer.from(await answer(chunks).arrayBuffer())).toEqual(Buffer.from(await response(chunks).arrayBuffer()));
    });
  }

  it('json() parses, and throws a SyntaxError as Response does', async () => {
    expect(await answer(bytes('{"a":[1,', '2]}')).json()).toEqual({ a: [1, 2] });
    await expect(answer(bytes('{"a":')).json()).rejects.toThrow(SyntaxError);
    await expect(response(bytes('{"a":')).json()).rejects.toThrow(SyntaxError);
  });

  it('ok is a 2xx status', () => {
    const statuses = [200, 204, 299, 300, 404, 500];
    expect(statuses.map((status) => answer(undefined, status).ok)).toEqual(statuses.map((status) => response(undefined, status).ok));
    expect(answer(undefined, 101).ok).toBe(false);
  });

  it('a body is read once', async () => {
    const ours: HttpAnswer = answer(bytes('once'));
    expect(await ours.text()).toBe('once');
    await expect(ours.text()).rejects.toThrow(TypeError);
    const theirs = response(bytes('once'));
    await theirs.text();
    await expect(theirs.text()).rejects.toThrow(TypeError);
  });

  it('body is a web stream of the bytes; the node stream is then no longer to be taken', async () => {
    const ours = answer(bytes('ab', 'cd'));
    const read: number[] = [];
    for await (const chunk of ours.body!) read.push(...chunk);
    expect(Buffer.from(read).toString()).toBe('abcd');
    expect(takeNodeBody(ours)).toBeUndefined();
    expect(answer(undefined).body).toBeNull();
  });

  it('looking at body takes nothing: takeNodeBody still has the node stream until the web stream is read', async () => {
    const ours = answer(bytes('ab'));
    expect(ours.body).not.toBeNull();
    const stream = takeNodeBody(ours);
    expect(stream).toBeInstanceOf(Readable);
    await expect(ours.body!.getReader().read()).rejects.toThrow(TypeError);
  });

  it('takeNodeBody gives the node stream once, and only for our answers', async () => {
    const ours = answer(bytes('ab'));
    const stream = takeNodeBody(ours);
    expect(stream).toBeInstanceOf(Readable);
    expect(takeNodeBody(ours)).toBeUndefined();
    await expect(ours.text()).rejects.toThrow(TypeError);
    expect(takeNodeBody(response(bytes('ab')))).toBeUndefined();
  });
});
