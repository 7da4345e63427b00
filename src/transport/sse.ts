import { StreamError } from '../shared/errors.js';
import { isJson } from '../shared/json-text.js';

/** One server-sent event: its `data` lines joined by newlines, its `event` and `id` fields when it had them. */
export interface SseMessage {
  id?: string | undefined;
  event?: string | undefined;
  data: string;
}

/** The largest line or event (its `data:` lines together), in bytes, a stream may carry before it is refused. */
export const MAX_SSE_EVENT_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

function tooLarge(max: number): StreamError {
  return new StreamError('bad_stream', `the backend sent a stream line or event larger than ${Math.round(max / 1024 / 1024)} MiB`);
}

/**
 * The event-stream format (WHATWG HTML §9.2.6) read from bytes: lines end in LF, CRLF or CR; `field: value` with one
 * optional space; `data` lines are joined by LF, an empty line dispatches an event that had data; comments (`:`),
 * `retry` and unknown fields are ignored; a leading BOM is dropped. Only the values are decoded (UTF-8, a bad byte
 * becoming U+FFFD), never whole network reads: a read costs no string of its own size, and a line split across reads
 * is decoded once, whole (a character split across reads is never torn).
 */
export class SseParser {
  /** Bytes of a line not ended yet (copies: a source may reuse its buffers). */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private data = '';
  private dataLines = 0;
  private dataBytes = 0;
  private event: string | undefined;
  private id: string | undefined;
  private atStart = true;
  private lastEvent: { bytes: Buffer; name: string } | undefined;
  /** The last read ended with a CR: an LF starting the next one belongs to it. */
  private afterCr = false;

  constructor(private readonly maxEventBytes = MAX_SSE_EVENT_BYTES) {}

  /** The events `chunk` completes, pushed onto `out`. */
  push(chunk: Uint8Array, out: SseMessage[]): void {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (bytes.length > 0 && bytes[0] === LF) start = 1;
    }
    // The next CR, looked for again only once passed (a stream framed by LF alone has none).
    let cr = bytes.indexOf(CR, start);
    while (start < bytes.length) {
      let end = bytes.indexOf(LF, start);
      let next = end + 1;
      if (cr !== -1) {
        if (cr < start) cr = bytes.indexOf(CR, start);
        if (cr !== -1 && (end === -1 || cr < end)) {
          end = cr;
          if (cr + 1 === bytes.length) {
            this.afterCr = true;
            next = cr + 1;
          } else next = bytes[cr + 1] === LF ? cr + 2 : cr + 1;
        }
      }
      if (end === -1) {
        this.keep(bytes.subarray(start));
        break;
      }
      if (this.partialBytes > 0) {
        this.keep(bytes.subarray(start, end));
        const line = Buffer.concat(this.partial, this.partialBytes);
        this.partial = [];
        this.partialBytes = 0;
        this.line(line, 0, line.length, out);
      } else {
        this.line(bytes, start, end, out);
      }
      start = next;
    }
    if (this.partialBytes + this.dataBytes > this.maxEventBytes) throw tooLarge(this.maxEventBytes);
  }

  /**
   * The end of the stream: an unfinished last line is read as a line. A last event whose closing blank line never
   * came is dropped by the format's rules; backends do send whole last events that way, so it is kept when its
   * data is complete JSON (a torn one, half a frame, is still dropped).
   */
  end(out: SseMessage[]): void {
    if (this.partialBytes > 0) {
      const line = Buffer.concat(this.partial, this.partialBytes);
      this.partial = [];
      this.partialBytes = 0;
      this.line(line, 0, line.length, out);
    }
    if (this.dataLines > 0 && isJson(this.data)) this.dispatch(out);
    this.reset();
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.partial.push(Buffer.from(bytes));
    this.partialBytes += bytes.length;
    if (this.partialBytes + this.dataBytes > this.maxEventBytes) throw tooLarge(this.maxEventBytes);
  }

  private line(bytes: Buffer, start: number, end: number, out: SseMessage[]): void {
    if (this.atStart) {
      this.atStart = false;
      if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
    }
    if (start === end) {
      if (this.dataLines > 0) this.dispatch(out);
      this.reset();
      return;
    }
    const first = bytes[start];
    if (first === COLON) return;
    let colon = bytes.indexOf(COLON, start);
    if (colon === -1 || colon > end) colon = end;
    const fieldLength = colon - start;
    let valueStart = colon + 1;
    if (valueStart < end && bytes[valueStart] === SPACE) valueStart++;
    if (valueStart > end) valueStart = end;
    // The two fields of every frame are told apart by their bytes, without decoding the name.
    if (fieldLength === 4 && first === 0x64 && bytes[start + 1] === 0x61 && bytes[start + 2] === 0x74 && bytes[start + 3] === 0x61) {
      const value = bytes.toString('utf8', valueStart, end);
      this.data = this.dataLines === 0 ? value : `${this.data}\n${value}`;
      this.dataLines++;
      this.dataBytes += end - valueStart + 1;
      return;
    }
    if (fieldLength === 5 && first === 0x65 && bytes[start + 1] === 0x76 && bytes[start + 2] === 0x65 && bytes[start + 3] === 0x6e && bytes[start + 4] === 0x74) {
      this.event = this.eventName(bytes, valueStart, end);
      return;
    }
    const field = bytes.toString('utf8', start, colon);
    if (field === 'event') {
      this.event = bytes.toString('utf8', valueStart, end) || undefined;
    } else if (field === 'id') {
      const value = bytes.toString('utf8', valueStart, end);
      if (!value.includes('\0')) this.id = value;
    }
  }

  /** An event name, the string of the last one when the bytes are the same (a stream repeats a few names). */
  private eventName(bytes: Buffer, start: number, end: number): string | undefined {
    if (start === end) return undefined;
    const last = this.lastEvent;
    if (last && last.bytes.length === end - start && bytes.compare(last.bytes, 0, last.bytes.length, start, end) === 0) return last.name;
    const name = bytes.toString('utf8', start, end);
    this.lastEvent = { bytes: Buffer.from(bytes.subarray(start, end)), name };
    return name;
  }

  private dispatch(out: SseMessage[]): void {
    out.push({ id: this.id, event: this.event, data: this.data });
  }

  private reset(): void {
    this.data = '';
    this.dataLines = 0;
    this.dataBytes = 0;
    this.event = undefined;
    this.id = undefined;
  }
}

/**
 * Splits a byte stream into SSE messages, yielded as one batch per network read (so a consumer pays one await
 * per read, not per event). `onEvents` is called once a read has produced at least one whole event, before the
 * batch is yielded, so an idle timer is reset by events only: keep-alive comments or a trickle of bytes do not keep
 * a dead stream alive. A line or event larger than `maxEventBytes` is `bad_stream` (a hostile or broken stream, not
 * worth a retry).
 */
export async function* sseBatches(body: AsyncIterable<Uint8Array>, onEvents?: () => void, maxEventBytes = MAX_SSE_EVENT_BYTES): AsyncGenerator<SseMessage[]> {
  const parser = new SseParser(maxEventBytes);
  let batch: SseMessage[] = [];
  for await (const chunk of body) {
    parser.push(chunk, batch);
    if (batch.length > 0) {
      onEvents?.();
      const ready = batch;
      batch = [];
      yield ready;
    }
  }
  parser.end(batch);
  if (batch.length > 0) yield batch;
}

/** The same messages one by one. */
export async function* sseMessages(body: AsyncIterable<Uint8Array>, onEvents?: () => void): AsyncGenerator<SseMessage> {
  for await (const batch of sseBatches(body, onEvents)) yield* batch;
}
