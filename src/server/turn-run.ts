// One backend turn seen as a queue: the HTTP layer waits for the first output (so that an early failure still gets
// its own status), then drains events until the outcome.
import type { CodexEvent } from '../client/events.js';
import type { TurnOutcome } from '../client/response-turn.js';
import type { Codex, CodexRequest } from '../library/codex.js';

export type RunItem = { kind: 'event'; event: CodexEvent } | { kind: 'done'; outcome: TurnOutcome } | { kind: 'error'; error: unknown };

const OUTPUT = new Set(['text.delta', 'reasoning.delta', 'commentary.delta']);
/** Events held for a slow client before reading the backend's stream pauses. */
const HIGH_WATER = 256;

export class TurnRun {
  private readonly items: RunItem[] = [];
  private wake: (() => void) | undefined;
  private started = false;
  private readonly firstOutput: Promise<void>;
  private markStarted!: () => void;
  private resumeProducer: (() => void) | undefined;
  private producerPaused: Promise<void> | undefined;

  constructor(transport: Codex, request: CodexRequest) {
    this.firstOutput = new Promise((resolve) => (this.markStarted = resolve));
    transport
      .turn(request, undefined, {
        onEvent: (event) => {
          this.push({ kind: 'event', event });
          if (OUTPUT.has(event.type)) this.start();
          // A returned promise pauses reading the backend's stream (the core's EventSink contract).
          if (this.items.length < HIGH_WATER) return undefined;
          this.producerPaused ??= new Promise((resolve) => (this.resumeProducer = resolve));
          return this.producerPaused;
        },
      })
      .then(
        (outcome) => this.push({ kind: 'done', outcome }),
        (error: unknown) => this.push({ kind: 'error', error }),
      )
      .finally(() => this.start());
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.markStarted();
  }

  private push(item: RunItem): void {
    this.items.push(item);
    this.wake?.();
  }

  /** Resolves at the first piece of output, or when the turn has ended (either way). */
  async ready(): Promise<void> {
    await this.firstOutput;
  }

  /** The failure, when the turn failed before any output. */
  earlyFailure(): unknown {
    const first = this.items.find((item) => item.kind !== 'event' || OUTPUT.has(item.event.type));
    return first?.kind === 'error' ? first.error : undefined;
  }

  async next(): Promise<RunItem> {
    while (this.items.length === 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const item = this.items.shift()!;
    if (this.producerPaused && this.items.length < HIGH_WATER / 2) {
      const resume = this.resumeProducer;
      this.producerPaused = undefined;
      this.resumeProducer = undefined;
      resume?.();
    }
    return item;
  }

  /**
   * Every event until the end: resolves with the outcome, or rejects with the failure. `flow`, when given, is
   * awaited before each event (the client's stream has room).
   */
  async drain(onEvent: (event: CodexEvent) => void, flow?: () => Promise<void> | undefined): Promise<TurnOutcome> {
    for (;;) {
      await flow?.();
      const item = await this.next();
      if (item.kind === 'event') onEvent(item.event);
      else if (item.kind === 'done') return item.outcome;
      else throw item.error;
    }
  }
}
