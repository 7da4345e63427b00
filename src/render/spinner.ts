const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;

/** A one-line "waiting" indicator for a person at a terminal; erased before anything else is written. */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  start(): this {
    this.timer ??= setInterval(() => this.draw(), INTERVAL_MS);
    this.timer.unref();
    return this;
  }

  private draw(): void {
    this.stream.write(`\r${FRAMES[this.frame++ % FRAMES.length]} ${this.label}\x1b[K`);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.frame > 0) this.stream.write('\r\x1b[K');
  }
}
