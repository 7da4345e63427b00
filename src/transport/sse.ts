import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { StreamError } from '../shared/errors.js';
import { isJson } from '../shared/json-text.js';

export type SseMessage = EventSourceMessage;

/** The largest line or event (its `data:` lines together) a stream may carry before it is refused. */
export const MAX_SSE_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * A read is parsed and handed on in slices of at most this many bytes: what a slice's events hold (its text, their
 * data) is then all that is alive on V8's heap while they are handled. A whole 64 KiB read alive at every
 * young-generation collection made V8 grow its young generation to its maximum over a long answer.
 */
const SLICE_BYTES = 16 * 1024;

/**
 * Splits a byte stream into SSE messages, yielded as one batch per network read, or per SLICE_BYTES of a larger one
 * (so a consumer pays one await per read, not per event). One streaming TextDecoder (a multi-byte character may be split
 * across chunks) feeding eventsource-parser, which handles CRLF, `data:` without a space and comments.
 * `onEvents` is called once a read has produced at least one whole event, before the batch is yielded, so an
 * idle timer is reset by events only: keep-alive comments or a trickle of bytes do not keep a dead stream alive.
 * A line or event larger than `maxEventChars` is `bad_stream` (a hostile or broken stream, not worth a retry).
 * A batch is emptied when the next one is asked for: its messages are to be used (or copied out) before that.
 */
export async function* sseBatches(body: AsyncIterable<Uint8Array>, onEvents?: () => void, maxEventChars = MAX_SSE_EVENT_CHARS): AsyncGenerator<EventSourceMessage[]> {
  const decoder = new TextDecoder('utf-8');
  let queue: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (message) => queue.push(message),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') {
        throw new StreamError('bad_stream', `the backend sent a stream line or event larger than ${Math.round(maxEventChars / 1024 / 1024)} MiB`);
      }
    },
    maxBufferSize: maxEventChars,
  });
  let endsWithCr = false;
  for await (const read of body) {
    for (let at = 0; at < read.length; at += SLICE_BYTES) {
      const text = decoder.decode(read.length > SLICE_BYTES ? read.subarray(at, at + SLICE_BYTES) : read, { stream: true });
      if (text !== '') endsWithCr = text.endsWith('\r');
      feedByLines(parser, text);
      if (queue.length > 0) {
        onEvents?.();
        // Only a batch's first message can have a line from an earlier slice (its `event:` line, say): a view into
        // that slice, which would keep it alive as long as this batch.
        const first = queue[0]!;
        if (first.event !== undefined) first.event = detached(first.event);
        if (first.id !== undefined) first.id = detached(first.id);
        const ready = queue;
        queue = [];
        yield ready;
        // Handled by now (the next batch is being asked for); the references this generator and the caller's loop
        // variable still hold to it would keep its messages, and the slice their data views, alive over the next.
        ready.length = 0;
      }
    }
  }
  parser.feed(decoder.decode());
  // The parser holds a final CR back in case an LF follows; at the end of a CR-only stream none will.
  if (endsWithCr) parser.feed('\n');
  const whole = queue.length;
  // A final message whose closing blank line never came (the connection closed right after it) is dropped by
  // the SSE rules; backends do send whole last events that way, so it is kept when its data is complete JSON.
  // A torn one (half a frame) is still dropped.
  parser.feed('\n\n');
  for (let i = whole; i < queue.length; i++) {
    if (!isJson(queue[i]!.data)) queue.length = i;
  }
  if (queue.length > 0) yield queue;
}

/**
 * Feeds one read's text so that the parser never joins the whole read to the line it holds from the last one (a
 * copy of every read): the head, up to the first LF, completes that line; the whole lines after it are parsed in
 * place; the tail (no LF) is held. The parser streams, so the messages are the same however the text is cut.
 */
function feedByLines(parser: EventSourceParser, text: string): void {
  const first = text.indexOf('\n');
  const last = first === -1 ? -1 : text.lastIndexOf('\n');
  if (first === -1 || (first === last && last === text.length - 1)) {
    parser.feed(text);
    return;
  }
  parser.feed(text.slice(0, first + 1));
  if (last > first) parser.feed(text.slice(first + 1, last + 1));
  // The tail waits in the parser for the next slice: as a copy, since V8's slice of a long string is a view that
  // keeps all of it alive (a whole slice held over every young-generation collection).
  if (last + 1 < text.length) parser.feed(detached(text.slice(last + 1)));
}

/** `part` as a string of its own: a flat copy, not a view into the string it was sliced from. */
function detached(part: string): string {
  // Flattening the two-piece string copies `part`; the slice then views that copy (V8 slices short strings by copying).
  return ` ${part}`.slice(1);
}

/** The same messages one by one. */
export async function* sseMessages(body: AsyncIterable<Uint8Array>, onEvents?: () => void): AsyncGenerator<EventSourceMessage> {
  for await (const batch of sseBatches(body, onEvents)) yield* batch;
}
