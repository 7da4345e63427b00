import type { Writable } from 'node:stream';
import type { CodexEvent, SearchEvent } from '../../client/events.js';
import { OutputBatch } from './output-batch.js';
import type { Renderer } from './renderer.js';
import type { SideChannel } from './side-channel.js';
import type { Spinner } from './spinner.js';
import { terminalSafe } from './terminal-text.js';

export interface TextRendererOptions {
  /** `--reasoning`: the reasoning summary and commentary, labelled, on stderr. */
  side?: SideChannel;
  /** Progress notes (retries) for a person watching a terminal; omitted when stderr is not a TTY. */
  notice?: (message: string) => void;
  /** Shown until the first output (TTY stderr only). */
  spinner?: Spinner;
  /**
   * stdout is a terminal: a run that stops in the middle of a line ends that line, so the error message that
   * follows on stderr starts on a line of its own (`Here is **bol` then `codex: cancelled`, not glued).
   */
  endPartialLine?: boolean;
  /** stdout is a terminal and --raw was not given: the answer's control characters are dropped. */
  sanitize?: (text: string) => string;
}

/**
 * Plain text: the answer as it arrives, ending with a newline. The deltas of one network read are written
 * together at `flush` (with the side channel's text, in order).
 */
export class TextRenderer implements Renderer {
  /** Erases the spinner (before an error line, or at the end). */
  stop(): void {
    this.batch.send();
    this.options.spinner?.stop();
    this.options.side?.breakLine();
    if (this.options.endPartialLine && this.wroteAnswer && !this.finished && this.lastChar !== '\n') {
      this.lastChar = '\n';
      this.batch.add(this.out, '\n');
    }
    this.batch.send();
  }

  flush(): Promise<void> | undefined {
    return this.batch.flush();
  }

  /** Shows `spinner` on stderr until the first output. */
  showSpinner(spinner: Spinner): void {
    this.options.spinner = spinner.start();
  }

  private wroteAnswer = false;
  private finished = false;
  private lastChar = '';
  private readonly batch: OutputBatch;

  constructor(
    private readonly out: Writable,
    private readonly options: TextRendererOptions,
  ) {
    this.batch = options.side?.batch ?? new OutputBatch();
  }

  private notice(message: string): void {
    if (!this.options.notice) return;
    this.options.side?.breakLine();
    this.batch.send();
    this.options.notice(message);
  }

  event(event: CodexEvent): Promise<void> | undefined {
    const side = this.options.side;
    // Only deltas wait for the end of the read: what is gathered is written before any direct write (the
    // spinner, a notice) and at every other event.
    if (this.options.spinner && event.type !== 'start' && event.type !== 'rate_limits') {
      this.batch.send();
      if (event.type === 'retry' || event.type === 'tool_call' || event.type === 'tool_result' || event.type === 'search') {
        this.options.spinner.stop();
      } else if ((event.type !== 'reasoning.delta' && event.type !== 'commentary.delta') || side) {
        this.options.spinner.stop();
        this.options.spinner = undefined;
      }
    }
    switch (event.type) {
      case 'text.delta': {
        side?.breakLine();
        this.wroteAnswer = true;
        const text = this.options.sanitize ? this.options.sanitize(event.delta) : event.delta;
        this.lastChar = text[text.length - 1] ?? this.lastChar;
        this.batch.add(this.out, text);
        return undefined;
      }
      case 'reasoning.delta':
        return side?.write('reasoning', event.delta);
      case 'commentary.delta':
        return side?.write('commentary', event.delta);
      case 'retry':
        this.notice(`retrying in ${(event.delay_ms / 1000).toFixed(1)} s (${event.reason}, attempt ${event.attempt} of ${event.max_retries})`);
        this.options.spinner?.start();
        return this.batch.flush();
      case 'tool_call':
        this.notice(`tool ${event.name} ${JSON.stringify(event.arguments)}`.slice(0, 200));
        return this.batch.flush();
      case 'tool_result':
        this.notice(`tool ${event.is_error ? 'failed' : 'done'} (${event.output.length} chars)`);
        this.options.spinner?.start();
        return this.batch.flush();
      case 'search':
        this.notice(searchNotice(event).slice(0, 200));
        this.options.spinner?.start();
        return this.batch.flush();
      case 'result':
        this.finished = true;
        side?.breakLine();
        if (this.wroteAnswer && this.lastChar !== '\n') this.batch.add(this.out, '\n');
        return this.batch.flush();
      default:
        return this.batch.flush();
    }
  }
}

/** `searched: "q1", "q2"` / `opened: URL` / `search failed: …`. */
function searchNotice(event: SearchEvent): string {
  const what = terminalSafe(event.queries.length > 0 ? event.queries.map((query) => JSON.stringify(query)).join(', ') : event.urls.join(', '));
  if (event.status === 'failed') return `search failed: ${what}`;
  return `${event.action === 'open' ? 'opened' : 'searched'}: ${what}`;
}
