/**
 * Hands items from a producer that pushes (a stream being read) to a consumer that pulls, with a bound: once
 * `highWater` items wait, `push` returns a promise that settles when the consumer has brought the queue down to
 * `lowWater`, so a slow reader pauses the producer instead of piling items up in memory. The producer ends the
 * queue with a value (`end`) or a failure (`fail`); the consumer sees them after the items pushed before.
 */
export class BoundedQueue<T, R = void> {
  private items: T[] = [];
  private head = 0;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;
  private producerWait: Promise<void> | undefined;
  private outcome: { value: R } | { failure: unknown } | undefined;
  /** No one will read any more: the producer must not wait for room. */
  private abandoned = false;

  constructor(
    private readonly highWater: number,
    /** The producer goes on once no more than this many items wait (default: none). */
    private readonly lowWater = 0,
  ) {}

  /** Ended or failed. */
  get closed(): boolean {
    return this.outcome !== undefined;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; a returned promise means the queue is full: wait for it before pushing more. */
  push(item: T): Promise<void> | undefined {
    this.items.push(item);
    this.wakeConsumer?.();
    if (this.abandoned || this.size < this.highWater) return undefined;
    this.producerWait ??= new Promise((resolve) => (this.wakeProducer = resolve));
    return this.producerWait;
  }

  end(value: R): void {
    this.outcome ??= { value };
    this.wakeConsumer?.();
  }

  fail(failure: unknown): void {
    this.outcome ??= { failure };
    this.wakeConsumer?.();
  }

  /** The consumer stopped reading: a producer waiting for room goes on (to notice its abort), and never waits again. */
  abandon(): void {
    this.abandoned = true;
    this.resumeProducer();
  }

  /** The next item, or the end's value once the items are out; throws the failure after the items before it. */
  async next(): Promise<IteratorResult<T, R>> {
    for (;;) {
      const next = this.poll();
      if (next) return next;
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      this.wakeConsumer = undefined;
    }
  }

  /** As `next`, without waiting (no promise per item for a consumer that drains): undefined when nothing is there yet. */
  poll(): IteratorResult<T, R> | undefined {
    if (this.head === this.items.length) {
      const outcome = this.outcome;
      if (!outcome) return undefined;
      if ('failure' in outcome) throw outcome.failure;
      return { done: true, value: outcome.value };
    }
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    if (this.producerWait && this.size <= this.lowWater) this.resumeProducer();
    return { done: false, value: item };
  }

  private resumeProducer(): void {
    const wake = this.wakeProducer;
    this.wakeProducer = undefined;
    this.producerWait = undefined;
    wake?.();
  }
}
