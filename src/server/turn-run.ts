// One backend turn seen as a queue: the HTTP layer waits for the first output (so that an early failure still gets
// its own status), then drains events until the outcome.
import type { CodexEvent } from '../client/events.js';
import type { TurnOutcome } from '../client/turn.js';
import type { CodexRequest, CodexTransport } from '../library/transport.js';

export type RunItem = { kind: 'event'; event: CodexEvent } | { kind: 'done'; outcome: TurnOutcome } | { kind: 'error'; error: unknown };

const OUTPUT = new Set(['text.delta', 'reasoning.delta', 'commentary.delta']);

export class TurnRun {
  private readonly items: RunItem[] = [];
  private wake: (() => void) | undefined;
  private started = false;
  private readonly firstOutput: Promise<void>;
  private markStarted!: () => void;

  constructor(transport: CodexTransport, request: CodexRequest) {
    this.firstOutput = new Promise((resolve) => (this.markStarted = resolve));
    transport
      .turn(request, undefined, {
        onEvent: (event) => {
          this.push({ kind: 'event', event });
          if (OUTPUT.has(event.type)) this.start();
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
    return this.items.shift()!;
  }

  /** Every event until the end: resolves with the outcome, or rejects with the failure. */
  async drain(onEvent: (event: CodexEvent) => void): Promise<TurnOutcome> {
    for (;;) {
      const item = await this.next();
      if (item.kind === 'event') onEvent(item.event);
      else if (item.kind === 'done') return item.outcome;
      else throw item.error;
    }
  }
}
