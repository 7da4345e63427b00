import type { Writable } from 'node:stream';
import { OutputBatch } from './output-batch.js';

export type SideKind = 'reasoning' | 'commentary';

/**
 * `--reasoning` in text mode: the reasoning summary and the model's commentary go to stderr, each block
 * labelled, so stdout carries the answer alone. Writes are gathered in `batch` (shared with the answer's
 * renderer) until the end of the network read.
 */
export class SideChannel {
  private kind: SideKind | undefined;
  private midLine = false;

  constructor(
    private readonly err: Writable,
    /** Styles the text (dim on a TTY); identity otherwise. */
    private readonly dim: (text: string) => string = (text) => text,
    /** On a terminal: drops the control characters of the model's text. */
    private readonly sanitize: (text: string) => string = (text) => text,
    readonly batch: OutputBatch = new OutputBatch(),
  ) {}

  write(kind: SideKind, raw: string): undefined {
    const delta = this.sanitize(raw);
    let text = this.dim(delta);
    if (kind !== this.kind) {
      // A paragraph break is not needed before a new label.
      if (/^\n+$/.test(delta)) return undefined;
      text = `${this.midLine ? '\n' : ''}${this.dim(`${kind}:`)} ${this.dim(delta.replace(/^\n+/, ''))}`;
      this.kind = kind;
    }
    this.midLine = !delta.endsWith('\n');
    this.batch.add(this.err, text);
    return undefined;
  }

  /** Ends a pending line (before the answer, a notice, or the end), so nothing is written after a label's text. */
  breakLine(): void {
    if (this.midLine) this.batch.add(this.err, '\n');
    this.midLine = false;
    this.kind = undefined;
  }
}
