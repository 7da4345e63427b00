import type { Writable } from 'node:stream';
import type { CodexEvent, ErrorEvent, ResultEvent, StartEvent } from '../client/events.js';
import { writeOut } from './write-out.js';
import type { Renderer } from './renderer.js';

const RESULT_PIECE_CHARS = 1 << 20;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** JSON lines: one event per line, `start` first, exactly one terminal event (`result` or `error`) last. */
export class JsonLinesRenderer implements Renderer {
  private started = false;
  private ended = false;

  constructor(
    private readonly out: Writable,
    /** Written first if the run fails before the client's own `start`. */
    private readonly start: StartEvent,
  ) {}

  event(event: CodexEvent): Promise<void> | undefined {
    if (this.ended) return undefined;
    if (event.type === 'start') {
      if (this.started) return undefined;
      this.started = true;
    } else if (!this.started) {
      this.started = true;
      this.out.write(`${JSON.stringify(this.start)}\n`);
    }
    if (event.type === 'result' || event.type === 'error') this.ended = true;
    if (event.type === 'result' && event.text.length > RESULT_PIECE_CHARS) return this.writeLongResult(event);
    return writeOut(this.out, `${JSON.stringify(event)}\n`);
  }

  /**
   * The same line as JSON.stringify(result), written in pieces: a 100 MB answer is not copied again into one
   * 100 MB line and one 100 MB buffer.
   */
  private async writeLongResult(result: ResultEvent): Promise<void> {
    const { text, usage, ...head } = result;
    await writeOut(this.out, `${JSON.stringify(head).slice(0, -1)},"text":"`);
    for (let start = 0; start < text.length; ) {
      let end = Math.min(start + RESULT_PIECE_CHARS, text.length);
      // Never split a surrogate pair: each half would be escaped on its own.
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
      await writeOut(this.out, JSON.stringify(text.slice(start, end)).slice(1, -1));
      start = end;
    }
    await writeOut(this.out, `","usage":${JSON.stringify(usage)}}\n`);
  }

  error(event: ErrorEvent): void {
    void this.event(event);
  }
}
