// `codex serve` on the wire: the frames a backend read brings go to the client together (one HTTP chunk per read,
// not one per event), and the bytes are those of the frames in order. Read from a raw socket, so the chunked
// framing is seen as sent.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerEvents, frame, type Reply, SSE_HEADERS } from '../fake/replies.js';
import { useFake } from '../support/fake.js';
import { type Served, startServe, TEST_SERVE_KEY } from '../support/serve.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

/** 600 different CJK characters (three bytes each in UTF-8, two-byte strings in V8). */
const TEXT = Array.from({ length: 600 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('');

/** A whole answer of one-character text deltas, written to the socket in one write. */
function oneWrite(text: string): Reply {
  return ({ res }) => {
    res.writeHead(200, SSE_HEADERS);
    res.end(
      answerEvents({ text, chunk: 1 })
        .map((event) => frame(event))
        .join(''),
    );
  };
}

/** POSTs `body` on a fresh connection and returns the HTTP chunks of the answer's body, as sent, and the body. */
function httpChunks(url: string, path: string, body: unknown): Promise<{ head: string; chunks: Buffer[]; text: string }> {
  const { hostname, port, pathname } = new URL(url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${pathname}${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${TEST_SERVE_KEY}\r\nconnection: close\r\n` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
    });
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(parts);
      const bodyAt = raw.indexOf('\r\n\r\n') + 4;
      const chunks: Buffer[] = [];
      let at = bodyAt;
      for (;;) {
        const lineEnd = raw.indexOf('\r\n', at);
        const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
        if (!(size > 0)) break;
        chunks.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      resolve({ head: raw.subarray(0, bodyAt).toString('latin1'), chunks, text: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

describe('codex serve: the frames of one backend read', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe([], { fake, configDir: configDirWith(fake.issueTokens()) });
  });
  afterAll(async () => {
    expect((await served.stop()).exitCode).toBe(0);
  });

  // 600 events are more than serve holds for a slow client (256): they still go out as the read brought them.
  it('chat completions: 600 deltas in one backend write reach the client in a few chunks, in order, whole characters', async () => {
    fake.responses.push(oneWrite(TEXT));
    const {
      head,
      chunks,
      text: body,
    } = await httpChunks(served.url, '/chat/completions', {
      model: 'gpt-6.2-sol',
      stream: true,
      messages: [{ role: 'user', content: 'say 600 characters' }],
    });
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\ntransfer-encoding: chunked\r\n/i);
    const frames = body.split('\n\n').filter(Boolean);
    const deltas = frames.filter((text) => text.includes('"delta":{"content":'));
    expect(deltas).toHaveLength(600);
    expect(deltas.map((text) => JSON.parse(text.slice('data: '.length)).choices[0].delta.content).join('')).toBe(TEXT);
    expect(frames.at(-1)).toBe('data: [DONE]');
    // A read of a loopback socket may be cut in two or three; one chunk per event would be hundreds.
    expect(chunks.filter((chunk) => chunk.includes('"delta":{"content":')).length).toBeLessThanOrEqual(4);
  });

  it('responses: 600 deltas in one backend write reach the client in a few chunks, as the backend sent them', async () => {
    fake.responses.push(oneWrite(TEXT));
    const { chunks, text: body } = await httpChunks(served.url, '/responses', { model: 'gpt-6.2-sol', stream: true, input: 'say 600 characters' });
    const frames = body.split('\n\n').filter(Boolean);
    const deltas = frames.filter((text) => text.startsWith('event: response.output_text.delta\ndata: '));
    expect(deltas).toHaveLength(600);
    expect(deltas.map((text) => JSON.parse(text.slice(text.indexOf('data: ') + 6)).delta).join('')).toBe(TEXT);
    expect(frames.at(-1)).toMatch(/^event: response\.completed\ndata: /);
    expect(chunks.filter((chunk) => chunk.includes('"type":"response.output_text.delta"')).length).toBeLessThanOrEqual(4);
  });
});
