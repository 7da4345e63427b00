const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;

/** A one-line "waiting" indicator for a person at a terminal; erased before anything else is written. */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private startedAt: number | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private label: string,
    private readonly now: () => number = Date.now,
  ) {}

  start(): this {
    this.startedAt ??= this.now();
    this.timer ??= setInterval(() => this.draw(), INTERVAL_MS);
    this.timer.unref();
    return this;
  }

  /** Says what it waits for now (the model, once the catalog has named it). */
  relabel(label: string): void {
    this.label = label;
  }

  /** The line drawn: a frame, the label, and the seconds waited so far once there is one. */
  line(): string {
    const seconds = Math.floor((this.now() - (this.startedAt ?? this.now())) / 1000);
    return `${FRAMES[this.frame % FRAMES.length]} ${this.label}${seconds >= 1 ? ` ${seconds}s` : ''}`;
  }

  private draw(): void {
    this.stream.write(`\r${this.line()}\x1b[K`);
    this.frame++;
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.frame > 0) this.stream.write('\r\x1b[K');
  }
}
