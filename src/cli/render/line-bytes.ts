import type { Writable } from 'node:stream';
import { writeOut } from './write-out.js';

/** The gathering buffer; a line that could need more than what is left of it is written on its own. */
const GATHER_BYTES = 64 * 1024;
const QUOTE = 0x22;
const CLOSE = 0x7d;
/**
 * What JSON.stringify escapes in a string: the quote, the backslash, control characters and lone surrogates (any
 * surrogate here: a pair goes the slow way, which keeps it as it is).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const NEWLINE = 0x0a;

/**
 * JSON lines gathered as UTF-8 in one reused buffer and written together at `send` (a copy of the bytes used), so
 * that a read's lines are neither a rope of strings on V8's heap nor flattened into one more string to be written.
 * Every line is whole (valid JSON text and its newline), so encoding line by line gives the same bytes as encoding
 * them joined. A delta's line is written in pieces: the same bytes as `JSON.stringify({ type, delta })`.
 */
export class LineBytes {
  private readonly bytes = Buffer.allocUnsafeSlow(GATHER_BYTES);
  private used = 0;
  private waits: Promise<void> | undefined;
  /** `{"type":"<type>","delta":` as bytes, per delta type. */
  private readonly heads = new Map<string, Buffer>();

  constructor(private readonly out: Writable) {}

  /** A whole line (newline included). */
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
    // Most deltas need no escaping: their text goes in as it is, between quotes (no JSON.stringify copy of it).
    const plain = !NEEDS_ESCAPE.test(delta);
    const json = plain ? delta : JSON.stringify(delta);
    const most = head.length + json.length * 3 + 4;
    if (most > GATHER_BYTES - this.used) {
      this.send();
      if (most > GATHER_BYTES) {
        this.direct(`${head.toString()}${plain ? JSON.stringify(delta) : json}}\n`);
        return;
      }
    }
    this.used += head.copy(this.bytes, this.used);
    if (plain) this.bytes[this.used++] = QUOTE;
    this.used += this.bytes.write(json, this.used);
    if (plain) this.bytes[this.used++] = QUOTE;
    this.bytes[this.used++] = CLOSE;
    this.bytes[this.used++] = NEWLINE;
  }

  /** Writes what is gathered now; a full output is waited for at `flush`. */
  send(): void {
    if (this.used === 0) return;
    // A copy: the stream may hold on to what it is given until it is written.
    const chunk = Buffer.allocUnsafe(this.used);
    this.bytes.copy(chunk, 0, 0, this.used);
    this.used = 0;
    this.wait(writeOut(this.out, chunk));
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
