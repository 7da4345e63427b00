// The body of a streamed answer (chat completions and Responses): text/event-stream written by a producer, with
// back-pressure from the client's side of the connection.
import { CodexError } from '../shared/errors.js';

/**
 * Writes the frames of an answer: `write(text)` adds text (the writes made before the event loop turns, a read's, go out as one chunk),
 * `flow()` is a promise while the client's side is full. Resolves with the tokens the answer used, for the access log.
 */
/** How long a client may read nothing before its backend stream is cancelled (by aborting `controller`). */
export interface StallBound {
  ms: number;
  controller: AbortController;
}

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
        let pending = '';
        const send = () => {
          const text = pending;
          pending = '';
          if (cancelled || text === '') return;
          try {
            controller.enqueue(Buffer.from(text));
          } catch {
            // The client has gone; the request's signal stops the backend.
          }
        };
        const write = (text: string) => {
          if (cancelled) return;
          // One chunk per burst of frames (the events a read brought), not one per frame: sent once the microtasks
          // are done, so that events handed over one promise at a time (the core's queue behind a busy sink) still
          // go out together.
          if (pending === '') setImmediate(send);
          pending += text;
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
