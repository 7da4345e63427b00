import type { Writable } from 'node:stream';
import { jsonStringMaxBytes, writeJsonString, writeLatin1JsonChars } from '../../shared/utf8-write.js';
import { writeOut } from './write-out.js';

/** The gathering buffer; a line that could need more than what is left of it is written on its own. */
const GATHER_BYTES = 64 * 1024;
const CLOSE = 0x7d;
const NEWLINE = 0x0a;

/**
 * JSON lines gathered as UTF-8 in one buffer and written together at `send`, so that a read's lines are neither a
 * rope of strings on V8's heap nor flattened into one more string to be written. Every piece added is whole (no
 * lone high surrogate at its end), so encoding piece by piece gives the same bytes as encoding them joined. A
 * delta's line is written in pieces: the same bytes as `JSON.stringify({ type, delta })`.
 */
export class LineBytes {
  private bytes = Buffer.allocUnsafeSlow(GATHER_BYTES);
  private used = 0;
  private waits: Promise<void> | undefined;
  /** `{"type":"<type>","delta":` as bytes, per delta type. */
  private readonly heads = new Map<string, Buffer>();
  /**
   * A stream over a file descriptor (the process's stdout or stderr, a file): once nothing is left in its buffer
   * after a write, what it was given is written out and the buffer can be filled again. Any other stream may keep
   * what it is given (a test's capture keeps the very chunks): it gets a copy.
   */
  private readonly ownStream: boolean;

  constructor(private readonly out: Writable) {
    this.ownStream = typeof (out as { fd?: unknown }).fd === 'number';
  }

  /** A whole line (newline included), or a piece of one that ends whole. */
  add(line: string): void {
    // At most 3 bytes a UTF-16 code unit.
    if (line.length * 3 > GATHER_BYTES - this.used) {
      this.send();
      if (line.length * 3 > GATHER_BYTES) {
        this.direct(line);
        return;
      }
    }
    this.used += this.bytes.write(line, this.used);
  }

  /** The line of a delta event: `{"type":"<type>","delta":<delta as JSON>}` and a newline. */
  addDelta(type: string, delta: string): void {
    let head = this.heads.get(type);
    if (head === undefined) {
      head = Buffer.from(`{"type":${JSON.stringify(type)},"delta":`);
      this.heads.set(type, head);
    }
    const most = head.length + jsonStringMaxBytes(delta) + 2;
    if (most > GATHER_BYTES - this.used) {
      this.send();
      if (most > GATHER_BYTES) {
        this.direct(`${head.toString()}${JSON.stringify(delta)}}\n`);
        return;
      }
    }
    const bytes = this.bytes;
    let used = this.used;
    bytes.set(head, used);
    used = writeJsonString(bytes, used + head.length, delta);
    bytes[used++] = CLOSE;
    bytes[used++] = NEWLINE;
    this.used = used;
  }

  /**
   * Latin-1 text (one byte a character) as the inside of a JSON string: escaped as JSON.stringify escapes and encoded
   * as UTF-8, byte by byte from where it is kept. No string of it is made on V8's heap.
   */
  addLatin1(text: Uint8Array): void {
    for (let next = 0; ; ) {
      const written = writeLatin1JsonChars(this.bytes, this.used, GATHER_BYTES, text, next);
      this.used = written.at;
      next = written.next;
      if (next === text.length) return;
      this.send();
    }
  }

  /** Writes what is gathered now; a full output is waited for at `flush`. */
  send(): void {
    if (this.used === 0) return;
    const gathered = this.bytes.subarray(0, this.used);
    this.used = 0;
    if (!this.ownStream) {
      this.wait(writeOut(this.out, Buffer.from(gathered)));
      return;
    }
    this.wait(writeOut(this.out, gathered));
    // Still in the stream's buffer (a pipe that is full): it is the stream's now, the next lines go in a new one.
    if (this.out.writableLength > 0) this.bytes = Buffer.allocUnsafeSlow(GATHER_BYTES);
  }

  /** Writes what is gathered; a promise when the output is full (back-pressure). */
  flush(): Promise<void> | undefined {
    this.send();
    const waits = this.waits;
    this.waits = undefined;
    return waits;
  }

  private direct(line: string): void {
    this.wait(writeOut(this.out, line));
  }

  private wait(wait: Promise<void> | undefined): void {
    if (wait) this.waits = this.waits ? Promise.all([this.waits, wait]).then(() => undefined) : wait;
  }
}
