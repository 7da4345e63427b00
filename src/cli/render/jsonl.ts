import type { Writable } from 'node:stream';
import type { CodexEvent, ErrorEvent, ResultEvent, StartEvent } from '../../client/events.js';
import { pieceText, textLength, textPieces } from '../../client/text-pieces.js';
import { LineBytes } from './line-bytes.js';
import type { Renderer } from './renderer.js';

/** A `result` whose text is longer than this is written in slices of RESULT_SLICE_CHARS. */
const LONG_RESULT_CHARS = 1 << 20;
const RESULT_SLICE_CHARS = 1 << 14;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * JSON lines: one event per line, `start` first, exactly one terminal event (`result` or `error`) last. The lines
 * of the deltas of one network read are written together at `flush`.
 */
export class JsonLinesRenderer implements Renderer {
  private started = false;
  private ended = false;
  private readonly lines: LineBytes;

  constructor(
    out: Writable,
    /** Written first if the run fails before the client's own `start`. */
    private readonly start: StartEvent,
  ) {
    this.lines = new LineBytes(out);
  }

  event(event: CodexEvent): Promise<void> | undefined {
    if (this.ended) return undefined;
    const type = event.type;
    if (this.started && (type === 'text.delta' || type === 'reasoning.delta' || type === 'commentary.delta')) {
      // The hot path: the same bytes as JSON.stringify(event), whose keys are exactly these two.
      this.lines.addDelta(type, event.delta);
      return undefined;
    }
    if (type === 'start') {
      if (this.started) return undefined;
      this.started = true;
    } else if (!this.started) {
      this.started = true;
      this.lines.add(`${JSON.stringify(this.start)}\n`);
    }
    if (type === 'result' || type === 'error') this.ended = true;
    if (type === 'result' && textLength(event) > LONG_RESULT_CHARS) {
      const gathered = this.lines.flush();
      return gathered ? gathered.then(() => this.writeLongResult(event)) : this.writeLongResult(event);
    }
    this.lines.add(`${JSON.stringify(event)}\n`);
    return this.lines.flush();
  }

  flush(): Promise<void> | undefined {
    return this.lines.flush();
  }

  /**
   * The same line as JSON.stringify(result), written from the pieces the text was gathered in: a 100 MB answer is
   * neither joined into one string nor copied into one 100 MB line. A latin1 piece is escaped byte by byte from
   * where it is kept; any other is decoded and escaped a slice at a time. Nothing is gathered across slices:
   * strings that outlive a young-generation collection make V8 grow its young generation.
   */
  private async writeLongResult(result: ResultEvent): Promise<void> {
    // The line without the text: `"text":""` first appears where the top-level key is (the keys before it hold
    // plain strings, in which a quote is always escaped).
    // Copied key by key: a spread would read `text`, joining the pieces this is here to avoid.
    const empty: Record<string, unknown> = {};
    for (const key of Object.keys(result)) empty[key] = key === 'text' ? '' : result[key as keyof ResultEvent];
    const shell = JSON.stringify(empty);
    const at = shell.indexOf('"text":""') + '"text":"'.length;
    const lines = this.lines;
    lines.add(shell.slice(0, at));
    let carry = '';
    const pieces = textPieces(result);
    for (let index = 0; index < pieces.length; index++) {
      const stored = pieces[index]!;
      const latin1 = typeof stored === 'string' ? undefined : stored.latin1Bytes();
      if (latin1 !== undefined) {
        // A latin1 piece holds no surrogate: a high one carried from the piece before stands alone.
        if (carry !== '') lines.add(JSON.stringify(carry).slice(1, -1));
        carry = '';
        lines.addLatin1(latin1);
      } else {
        const piece = pieceText(stored);
        for (let start = 0; start < piece.length; ) {
          const end = Math.min(start + RESULT_SLICE_CHARS, piece.length);
          let slice = carry + piece.slice(start, end);
          carry = '';
          // Never split a surrogate pair: each half would be escaped on its own.
          if (isHighSurrogate(slice.charCodeAt(slice.length - 1)) && !(end === piece.length && index === pieces.length - 1)) {
            carry = slice.slice(-1);
            slice = slice.slice(0, -1);
          }
          start = end;
          if (slice !== '') lines.add(JSON.stringify(slice).slice(1, -1));
        }
      }
      const full = lines.flush();
      if (full) await full;
    }
    lines.add(`${carry === '' ? '' : JSON.stringify(carry).slice(1, -1)}${shell.slice(at)}\n`);
    await lines.flush();
  }

  error(event: ErrorEvent): void {
    void this.event(event);
  }

  stop(): void {
    this.lines.send();
  }
}
