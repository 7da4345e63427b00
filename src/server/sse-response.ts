// The body of a streamed answer (chat completions and Responses): text/event-stream written by a producer, with
// back-pressure from the client's side of the connection.
import { CodexError } from '../shared/errors.js';
import { jsonStringMaxBytes, writeJsonString } from '../shared/utf8-write.js';

/** How long a client may read nothing before its backend stream is cancelled (by aborting `controller`). */
export interface StallBound {
  ms: number;
  controller: AbortController;
}

/**
 * Frames are encoded straight into slabs as they are written, and a burst goes out as a view of its slab: no string is
 * built per burst (a rope of frames that V8 must flatten, over 128 KiB in its large-object space) and no byte is
 * copied twice, except for a burst that spans slabs (it is joined once). An answer's first slab is small (a short
 * answer needs no more); the later ones hold at least SLAB_BYTES, and a quarter more than the last burst.
 */
const FIRST_SLAB_BYTES = 16 * 1024;
const SLAB_BYTES = 64 * 1024;

/**
 * What a producer writes with: `text` adds any text; `frame` adds bytes made once, `text` as a JSON string (a delta:
 * escaped into the slab, with no JSON.stringify copy of it on V8's heap), and bytes made once.
 */
export interface SseOut {
  text(text: string): void;
  frame(head: Uint8Array, text: string, tail: Uint8Array): void;
}

/**
 * Writes the frames of an answer with `out` (the writes of a read go out as one chunk); `flow()` is a promise while the
 * client's side is full. Resolves with the tokens the answer used, for the access log.
 */
export type SseProducer = (out: SseOut, flow: () => Promise<void> | undefined) => Promise<number | undefined>;

/** The bytes written since the last burst went out: the tail of the current slab, after the full slabs before it. */
class Burst {
  private slab = Buffer.allocUnsafe(0);
  private start = 0;
  private at = 0;
  private full: Buffer[] = [];
  /** The size of the last burst: a slab with less room left is let go, so that a burst rarely spans two. */
  private last = 0;

  /** Makes room for `bytes` more in the current slab (a new slab when they do not fit). */
  private room(bytes: number): void {
    if (this.at + bytes <= this.slab.length) return;
    if (this.at > this.start) this.full.push(this.slab.subarray(this.start, this.at));
    this.slab = Buffer.allocUnsafe(Math.max(this.last === 0 ? FIRST_SLAB_BYTES : SLAB_BYTES, bytes, this.last + (this.last >> 2)));
    this.start = 0;
    this.at = 0;
  }

  text(text: string): void {
    // At most 3 bytes of UTF-8 per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    this.room(text.length * 3);
    this.at += this.slab.write(text, this.at);
  }

  frame(head: Uint8Array, text: string, tail: Uint8Array): void {
    this.room(head.length + jsonStringMaxBytes(text) + tail.length);
    const slab = this.slab;
    let at = this.at;
    slab.set(head, at);
    at += head.length;
    at = writeJsonString(slab, at, text);
    slab.set(tail, at);
    this.at = at + tail.length;
  }

  /** The burst's bytes, or undefined when nothing was written; the next burst starts after them. */
  take(): Buffer | undefined {
    const parts = this.full;
    if (this.at > this.start) parts.push(this.slab.subarray(this.start, this.at));
    this.full = [];
    if (parts.length === 0) return undefined;
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.last = bytes.length;
    this.start = this.at;
    if (this.slab.length - this.at < this.last) {
      this.slab = Buffer.allocUnsafe(0);
      this.start = 0;
      this.at = 0;
    }
    return bytes;
  }
}

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
        const burst = new Burst();
        let scheduled = false;
        // One chunk per burst of frames (the events a read brought), not one per frame. The first burst of an
        // event-loop turn goes out after the microtask that wrote it; what follows in the same turn (events the core
        // hands over one promise at a time, behind a full queue) waits for the turn's end, so that it too goes out as
        // one chunk.
        let sentThisTurn = false;
        const turnEnded = () => {
          sentThisTurn = false;
        };
        const send = () => {
          scheduled = false;
          const bytes = burst.take();
          if (cancelled || bytes === undefined) return;
          if (!sentThisTurn) {
            sentThisTurn = true;
            setImmediate(turnEnded);
          }
          try {
            controller.enqueue(bytes);
          } catch {
            // The client has gone; the request's signal stops the backend.
          }
        };
        /** Whether a write is still wanted; the first write of a burst schedules its sending. */
        const writing = () => {
          if (cancelled) return false;
          if (!scheduled) {
            scheduled = true;
            if (sentThisTurn) setImmediate(send);
            else queueMicrotask(send);
          }
          return true;
        };
        const out: SseOut = {
          text: (text) => writing() && burst.text(text),
          frame: (head, text, tail) => writing() && burst.frame(head, text, tail),
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
        void produce(out, flow).then((tokens) => {
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
