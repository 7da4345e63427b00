// The body of a streamed answer (chat completions and Responses): text/event-stream written by a producer, with
// back-pressure from the client's side of the connection.

/**
 * Writes the frames of an answer: `write(text)` adds text (the writes of one synchronous run go out as one chunk),
 * `flow()` is a promise while the client's side is full. Resolves with the tokens the answer used, for the access log.
 */
export type SseProducer = (write: (text: string) => void, flow: () => Promise<void> | undefined) => Promise<number | undefined>;

/**
 * A ReadableStream fed by `produce`: a slow reader pauses the producer (and so the backend's stream) instead of piling
 * frames up in memory. `ended` is told the tokens once the body is closed.
 */
export function sseBody(produce: SseProducer, ended: (tokens: number | undefined) => void): ReadableStream<Uint8Array> {
  let pulled: (() => void) | undefined;
  let cancelled = false;
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
          // One chunk per burst of frames (the events a read brought), not one per frame.
          if (pending === '') queueMicrotask(send);
          pending += text;
        };
        const flow = () => (cancelled || (controller.desiredSize ?? 1) > 0 ? undefined : new Promise<void>((resolve) => (pulled = resolve)));
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
