// One backend turn seen as a queue: the HTTP layer waits for the first output (so that an early failure still gets
// its own status), then drains events until the outcome.
import type { CodexEvent } from '../client/events.js';
import type { TurnOutcome } from '../client/response-turn.js';
import type { Codex, CodexRequest } from '../library/codex.js';
import { BoundedQueue } from '../shared/bounded-queue.js';

const OUTPUT = new Set(['text.delta', 'reasoning.delta', 'commentary.delta']);
/** Events held for a slow client before reading the backend's stream pauses (it goes on at half of it). */
const HIGH_WATER = 256;

type Handler = (event: CodexEvent) => Promise<void> | undefined;

export class TurnRun {
  private readonly queue = new BoundedQueue<CodexEvent, TurnOutcome>(HIGH_WATER, HIGH_WATER / 2 - 1);
  private started = false;
  private readonly firstOutput: Promise<void>;
  private markStarted!: () => void;
  private failedEarly: { error: unknown } | undefined;
  /** Set once `drain` has emptied the queue: later events go straight to it, in the core's own call. */
  private handler: Handler | undefined;

  /** `keepText: false`: the outcome's text is not needed (the deltas are the answer), so none is gathered. */
  constructor(transport: Codex, request: CodexRequest, options: { keepText?: boolean } = {}) {
    this.firstOutput = new Promise((resolve) => (this.markStarted = resolve));
    transport
      .turn(request, undefined, {
        ...options,
        onEvent: (event) => {
          if (this.handler) return this.handler(event);
          if (OUTPUT.has(event.type)) this.start();
          // A returned promise pauses reading the backend's stream (the core's EventSink contract).
          return this.queue.push(event);
        },
      })
      .then(
        (outcome) => this.queue.end(outcome),
        (error: unknown) => {
          if (!this.started) this.failedEarly = { error };
          this.queue.fail(error);
        },
      )
      .finally(() => this.start());
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.markStarted();
  }

  /** Resolves at the first piece of output, or when the turn has ended (either way). */
  async ready(): Promise<void> {
    await this.firstOutput;
  }

  /** The failure, when the turn failed before any output. */
  earlyFailure(): unknown {
    return this.failedEarly?.error;
  }

  /**
   * Every event until the end: resolves with the outcome, or rejects with the failure. `flow`, when given, is
   * awaited before each event (the client's stream has room). The events held so far are handed over first; after
   * them each event is handed over as the core emits it (all the events of a network read in one synchronous run,
   * no promise per event), and a full client pauses the backend's stream through the promise `flow` returns.
   */
  async drain(onEvent: (event: CodexEvent) => void, flow?: () => Promise<void> | undefined): Promise<TurnOutcome> {
    for (;;) {
      const room = flow?.();
      if (room) await room;
      const next = this.queue.poll();
      if (next === undefined) break;
      if (next.done) return next.value;
      onEvent(next.value);
    }
    this.handler = (event) => {
      onEvent(event);
      return flow?.();
    };
    // A producer that waited for room goes on; nothing more is queued.
    this.queue.abandon();
    const end = await this.queue.next();
    if (!end.done) throw new Error('TurnRun: an event was queued after the hand-over');
    return end.value;
  }
}
