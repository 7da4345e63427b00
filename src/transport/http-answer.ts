import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/**
 * What the clients read of an HTTP answer: the part of fetch's Response they use. A Response is one, so a caller's
 * own `fetch` (the library's `fetch` option) fits; `send` answers with a NodeAnswer, which is one without loading
 * Node's bundled undici: touching `Headers` or `Response` costs ≈30 ms of start-up, and it would come after the
 * backend has answered, right before the first byte is shown (issue 31).
 */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: AnswerHeaders;
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The reading half of fetch's Headers (what `onOpen` hands a library user, too); names come lower-case and sorted,
 * as Headers gives them. A Headers is one.
 */
export interface AnswerHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
  getSetCookie(): string[];
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  forEach(callback: (value: string, name: string, headers: AnswerHeaders) => void): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

/** What the clients pass to a request: the part of fetch's RequestInit they use. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | null;
  redirect?: 'error' | 'follow' | 'manual';
}

/** A fetch-shaped function whose answers are HttpAnswers: `send`, or `fetch` itself. */
export type Fetch = (input: string | URL, init?: FetchInit) => Promise<HttpAnswer>;

/** An answer's headers as Node gave them, every value of a repeated header kept (`res.headersDistinct`). */
export class NodeHeaders implements AnswerHeaders {
  readonly #values = new Map<string, string[]>();

  constructor(raw: Record<string, string | string[] | undefined>) {
    for (const [name, value] of Object.entries(raw)) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      const values = this.#values.get(key) ?? [];
      values.push(...(Array.isArray(value) ? value : [value]));
      this.#values.set(key, values);
    }
  }

  /** As Headers.get: every value of the header joined with ", ", or null. */
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase())?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this) yield value;
  }

  entries(): IterableIterator<[string, string]> {
    return this[Symbol.iterator]();
  }

  forEach(callback: (value: string, name: string, headers: AnswerHeaders) => void): void {
    for (const [name, value] of this) callback(value, name, this);
  }

  /** As Headers iterates: by name, a repeated header's values joined, except `set-cookie`'s (one entry each). */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name)!;
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
  }
}

/** An HttpAnswer over a node stream, read as fetch reads a body: once, UTF-8 without a byte order mark for text. */
export class NodeAnswer implements HttpAnswer {
  readonly ok: boolean;
  #stream: Readable | undefined;
  #web: ReadableStream<Uint8Array> | undefined;
  #used = false;

  constructor(
    readonly status: number,
    readonly headers: NodeHeaders,
    stream: Readable | undefined,
    /** node:http's answer the body comes from (none through a proxy): what says which connection it holds. */
    readonly connection?: IncomingMessage,
  ) {
    this.ok = status >= 200 && status < 300;
    this.#stream = stream;
  }

  /** A web stream that takes the node stream on its first read only: until then takeNodeBody can have it. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream === undefined) return null;
    this.#web ??= webStreamOf(() => this.#take());
    return this.#web;
  }

  /**
   * The body as the node stream it reads from, for a reader that wants no web stream in between (a long event
   * stream: Node's adapter costs a copy and several promises per network read). Taken once.
   */
  takeNodeBody(): Readable | undefined {
    return this.#used || this.#stream === undefined ? undefined : this.#take();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.#bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  #take(): Readable {
    const stream = this.#stream;
    // As fetch: a body is read once.
    if (stream === undefined || this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return stream;
  }

  async #bytes(): Promise<Buffer> {
    if (this.#stream === undefined) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const chunk of this.#take()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

/** A web stream over the node stream `take` gives, taken on the first read. */
function webStreamOf(take: () => Readable): ReadableStream<Uint8Array> {
  let body: Readable | undefined;
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        body ??= take();
        chunks ??= body[Symbol.asyncIterator]();
        const next = await chunks.next();
        // A copy, as Readable.toWeb makes: the bytes are the reader's.
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      },
      cancel() {
        // Not read yet: the node stream is taken to be let go of (unless takeNodeBody has it: then it is not ours).
        if (body === undefined) {
          try {
            body = take();
          } catch {
            return;
          }
        }
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The node stream of an answer `send` made, taken once; undefined for any other answer (a caller's own fetch). */
export function takeNodeBody(answer: HttpAnswer): Readable | undefined {
  return answer instanceof NodeAnswer ? answer.takeNodeBody() : undefined;
}

/** The body's bytes to read once: the node stream when `send` made the answer, else the web stream. */
export function bodyBytes(answer: HttpAnswer): AsyncIterable<Uint8Array> | null {
  return takeNodeBody(answer) ?? answer.body;
}

/** How long the rest of a body a reader stopped reading may take to end before its connection is cut. */
const RELEASE_MS = 2000;
/** How long `release()` waits for that end (an answer stream ends right after its last event). */
const RELEASE_WAIT_MS = 50;

/**
 * A body read until its reader stops early (an answer stream is done at its last event, a moment before the body
 * ends), without cutting its connection. `release()` then lets the rest go by, so that the connection goes back to
 * the pool for the next request (else each turn costs a new TLS handshake): it resolves once the body has ended, or
 * after RELEASE_WAIT_MS, while the rest goes by in the background until RELEASE_MS, when the connection is cut; the
 * connection, unref'd, never keeps the process alive meanwhile. Through a proxy (undici's pool, whose connection
 * cannot be unref'd) the body is cut after RELEASE_WAIT_MS instead. A web stream (a caller's own fetch) is
 * cancelled when its reader stops, as before.
 */
export function releasableBody(answer: HttpAnswer): { bytes: AsyncIterable<Uint8Array> | null; release: () => Promise<void>; discard: () => void } {
  const stream = takeNodeBody(answer);
  if (stream === undefined) return { bytes: answer.body, release: async () => undefined, discard: () => undefined };
  const connection = answer instanceof NodeAnswer ? answer.connection : undefined;
  // Once the reader has stopped, an error (the request ended by its abort) has nobody to go to: without a listener
  // it would be an uncaught exception.
  stream.on('error', () => undefined);
  return {
    bytes: stream.iterator({ destroyOnReturn: false }),
    /** The reader failed or gave up: the body and its connection are cut. */
    discard: () => void stream.destroy(),
    release: () =>
      new Promise<void>((resolve) => {
        if (stream.readableEnded || stream.destroyed) return resolve();
        // Only while node:http's answer is not done is its socket its own: once done (a compressed body's decoder
        // can lag behind), the socket is back in the pool, maybe serving another request, and `socket` is null.
        const socket = connection !== undefined && !connection.complete ? connection.socket : null;
        socket?.unref();
        const cut = setTimeout(() => stream.destroy(), socket ? RELEASE_MS : RELEASE_WAIT_MS).unref();
        const wait = setTimeout(resolve, RELEASE_WAIT_MS).unref();
        const done = () => {
          clearTimeout(cut);
          clearTimeout(wait);
          resolve();
        };
        stream.once('end', done).once('close', done).on('error', done);
        stream.resume();
      }),
  };
}
