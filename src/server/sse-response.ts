// The body of a streamed answer (chat completions and Responses): text/event-stream written by a producer, with
// back-pressure from the client's side of the connection.
import { CodexError } from '../shared/errors.js';

/**
 * Writes the frames of an answer: `write(text)` adds text (the writes of a read go out as one chunk),
 * `flow()` is a promise while the client's side is full. Resolves with the tokens the answer used, for the access log.
 */
/** How long a client may read nothing before its backend stream is cancelled (by aborting `controller`). */
export interface StallBound {
  ms: number;
  controller: AbortController;
}

/**
 * Text is encoded to bytes in pieces of at most about this many characters (96 KiB as UTF-16): V8 makes the flat copy
 * of a string over 128 KiB in its large-object space, and encoding a 128 KiB string of frames measured 10–20 µs per
 * KiB against about 1 µs at 64 KiB (reads of 1,000 chat deltas: ≈10 → ≈2 ms of CPU per 0.8 MB).
 */
const PIECE_CHARS = 48 * 1024;

export type SseProducer = (write: (text: string) => void, flow: () => Promise<void> | undefined) => Promise<number | undefined>;

/**
 * A ReadableStream fed by `produce`: a slow reader pauses the producer (and so the backend's stream) instead of piling
 * frames up in memory. `ended` is told the tokens once the body is closed.
 */
export function sseBody(produce: SseProducer, ended: (tokens: number | undefined) => void, stall?: StallBound): ReadableStream<Uint8Array> {
  let pulled: (() => void) | undefined;
  // A client that went away, or was let go for not reading: nothing more is queued for it (one flag, read per event).
  let cancelled = stall?.controller.signal.aborted === true;
  const letGo = () => {
    cancelled = true;
  };
  stall?.controller.signal.addEventListener('abort', letGo, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // The text written since the last chunk: a string under PIECE_CHARS, and the pieces before it already encoded.
        let pending = '';
        let pieces: Buffer[] = [];
        let scheduled = false;
        // One chunk per burst of frames (the events a read brought), not one per frame. The first burst of an
        // event-loop turn goes out after the microtask that wrote it (the text is let go at once); what follows in
        // the same turn (events the core hands over one promise at a time, behind a full queue) waits for the turn's
        // end, so that it too goes out as one chunk.
        let sentThisTurn = false;
        const turnEnded = () => {
          sentThisTurn = false;
        };
        const send = () => {
          scheduled = false;
          const parts = pieces;
          if (pending !== '') parts.push(Buffer.from(pending));
          pending = '';
          pieces = [];
          if (cancelled || parts.length === 0) return;
          if (!sentThisTurn) {
            sentThisTurn = true;
            setImmediate(turnEnded);
          }
          try {
            controller.enqueue(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
          } catch {
            // The client has gone; the request's signal stops the backend.
          }
        };
        const write = (text: string) => {
          if (cancelled) return;
          if (!scheduled) {
            scheduled = true;
            if (sentThisTurn) setImmediate(send);
            else queueMicrotask(send);
          }
          pending += text;
          if (pending.length >= PIECE_CHARS) {
            pieces.push(Buffer.from(pending));
            pending = '';
          }
        };
        // A client that reads nothing past the bound holds the backend stream no longer: it is cancelled.
        const flow = () => {
          if (cancelled || (controller.desiredSize ?? 1) > 0) return undefined;
          return new Promise<void>((resolve) => {
            const timer = stall
              ? setTimeout(() => {
                  stall.controller.abort(new CodexError('cancelled', `the client read nothing for ${Math.round(stall.ms / 1000)} s; its backend stream was cancelled`));
                  pulled?.();
                }, stall.ms)
              : undefined;
            pulled = () => {
              clearTimeout(timer);
              pulled = undefined;
              resolve();
            };
          });
        };
        void produce(write, flow).then((tokens) => {
          send();
          try {
            controller.close();
          } catch {
            // already cancelled
          }
          ended(tokens);
        });
      },
      pull() {
        pulled?.();
        pulled = undefined;
      },
      cancel() {
        cancelled = true;
        pulled?.();
      },
    },
    { highWaterMark: 64 },
  );
}
