import type { Writable } from 'node:stream';
import type { CodexEvent } from '../client/events.js';
import { writeOut } from './write-out.js';
import type { Renderer } from './renderer.js';
import type { SideChannel } from './side-channel.js';
import type { Spinner } from './spinner.js';

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

/** Plain text: the answer as it arrives, one write per delta, ending with a newline. */
export class TextRenderer implements Renderer {
  /** Erases the spinner (before an error line, or at the end). */
  stop(): void {
    this.options.spinner?.stop();
    this.options.side?.breakLine();
    if (this.options.endPartialLine && this.wroteAnswer && !this.finished && this.lastChar !== '\n') {
      this.lastChar = '\n';
      this.out.write('\n');
    }
  }

  /** Shows `spinner` on stderr until the first output. */
  showSpinner(spinner: Spinner): void {
    this.options.spinner = spinner.start();
  }

  private wroteAnswer = false;
  private finished = false;
  private lastChar = '';

  constructor(
    private readonly out: Writable,
    private readonly options: TextRendererOptions,
  ) {}

  private notice(message: string): void {
    if (!this.options.notice) return;
    this.options.side?.breakLine();
    this.options.notice(message);
  }

  event(event: CodexEvent): Promise<void> | undefined {
    const side = this.options.side;
    if (this.options.spinner && event.type !== 'start' && event.type !== 'rate_limits') {
      if (event.type === 'retry' || event.type === 'tool_call' || event.type === 'tool_result') {
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
        const delta = this.options.sanitize ? this.options.sanitize(event.delta) : event.delta;
        this.lastChar = delta[delta.length - 1] ?? this.lastChar;
        return writeOut(this.out, delta);
      }
      case 'reasoning.delta':
        return side?.write('reasoning', event.delta);
      case 'commentary.delta':
        return side?.write('commentary', event.delta);
      case 'retry':
        this.notice(`retrying in ${(event.delay_ms / 1000).toFixed(1)} s (${event.reason}, attempt ${event.attempt} of ${event.max_retries})`);
        this.options.spinner?.start();
        return undefined;
      case 'tool_call':
        this.notice(`tool ${event.name} ${JSON.stringify(event.arguments)}`.slice(0, 200));
        return undefined;
      case 'tool_result':
        this.notice(`tool ${event.is_error ? 'failed' : 'done'} (${event.output.length} chars)`);
        this.options.spinner?.start();
        return undefined;
      case 'result':
        this.finished = true;
        side?.breakLine();
        if (this.wroteAnswer && this.lastChar !== '\n') return writeOut(this.out, '\n');
        return undefined;
      default:
        return undefined;
    }
  }
}
