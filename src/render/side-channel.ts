import type { Writable } from 'node:stream';
import { writeOut } from './write-out.js';

export type SideKind = 'reasoning' | 'commentary';

/**
 * `--reasoning` in text mode: the reasoning summary and the model's commentary go to stderr, each block
 * labelled, so stdout carries the answer alone.
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
  ) {}

  write(kind: SideKind, raw: string): Promise<void> | undefined {
    const delta = this.sanitize(raw);
    let text = this.dim(delta);
    if (kind !== this.kind) {
      // A paragraph break is not needed before a new label.
      if (/^\n+$/.test(delta)) return undefined;
      text = `${this.midLine ? '\n' : ''}${this.dim(`${kind}:`)} ${this.dim(delta.replace(/^\n+/, ''))}`;
      this.kind = kind;
    }
    this.midLine = !delta.endsWith('\n');
    return writeOut(this.err, text);
  }

  /** Ends a pending line (before the answer, a notice, or the end), so nothing is written after a label's text. */
  breakLine(): void {
    if (this.midLine) this.err.write('\n');
    this.midLine = false;
    this.kind = undefined;
  }
}
