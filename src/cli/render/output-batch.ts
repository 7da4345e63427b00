import type { Writable } from 'node:stream';
import { writeOut } from './write-out.js';

/**
 * What the events of one network read write to stdout and stderr, gathered and written at the read's end (a read
 * over 16 KiB ends every 16 KiB: sse.ts): one write per stream per read instead of one per delta. The order of writes across the two streams is kept (text
 * for the other stream first writes what is pending), so `2>&1` sees the same bytes as before.
 */
export class OutputBatch {
  private target: Writable | undefined;
  private pending = '';
  private waits: Promise<void> | undefined;

  add(stream: Writable, text: string): void {
    if (text === '') return;
    if (stream !== this.target) {
      this.send();
      this.target = stream;
    }
    this.pending += text;
  }

  /** Writes what is pending now (before a direct write to either stream); a full buffer is waited for at `flush`. */
  send(): void {
    if (this.pending === '') return;
    const wait = writeOut(this.target!, this.pending);
    this.pending = '';
    if (wait) this.waits = this.waits ? Promise.all([this.waits, wait]).then(() => undefined) : wait;
  }

  /** The end of a read: writes what is pending; a promise when an output's buffer is full (back-pressure). */
  flush(): Promise<void> | undefined {
    this.send();
    const waits = this.waits;
    this.waits = undefined;
    return waits;
  }
}

/** Both writes' back-pressure as one promise (undefined when neither output is full). */
export function bothDrained(a: Promise<void> | undefined, b: Promise<void> | undefined): Promise<void> | undefined {
  return a && b ? Promise.all([a, b]).then(() => undefined) : (a ?? b);
}
