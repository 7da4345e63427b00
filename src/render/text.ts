import type { Writable } from 'node:stream';
import type { CodexEvent } from '../client/events.js';
import { writeOut } from './write-out.js';
import type { Renderer } from './renderer.js';
import type { Spinner } from './spinner.js';

export interface TextRendererOptions {
  /** Stream the reasoning summary before the answer. */
  reasoning: boolean;
  /** Styles reasoning text (dim on a TTY); identity otherwise. */
  dim?: (text: string) => string;
  /** Progress notes (retries) for a person watching a terminal; omitted when stderr is not a TTY. */
  notice?: (message: string) => void;
  /** Shown until the first output (TTY stderr only). */
  spinner?: Spinner;
}

/** Plain text: the answer as it arrives, one write per delta, ending with a newline. */
export class TextRenderer implements Renderer {
  /** Erases the spinner (before an error line, or at the end). */
  stop(): void {
    this.options.spinner?.stop();
  }

  /** Shows `spinner` on stderr until the first output. */
  showSpinner(spinner: Spinner): void {
    this.options.spinner = spinner.start();
  }

  private wroteReasoning = false;
  private wroteAnswer = false;
  private lastChar = '';

  constructor(
    private readonly out: Writable,
    private readonly options: TextRendererOptions,
  ) {}

  event(event: CodexEvent): Promise<void> | undefined {
    if (this.options.spinner && event.type !== 'start' && event.type !== 'rate_limits') {
      if (event.type === 'retry' || event.type === 'tool_call' || event.type === 'tool_result') {
        this.options.spinner.stop();
      } else if (event.type !== 'reasoning.delta' || this.options.reasoning) {
        this.options.spinner.stop();
        this.options.spinner = undefined;
      }
    }
    switch (event.type) {
      case 'text.delta': {
        let text = event.delta;
        if (!this.wroteAnswer) {
          this.wroteAnswer = true;
          if (this.wroteReasoning) text = `${this.lastChar === '\n' ? '\n' : '\n\n'}${text}`;
        }
        this.lastChar = text[text.length - 1] ?? this.lastChar;
        return writeOut(this.out, text);
      }
      case 'reasoning.delta': {
        if (!this.options.reasoning || this.wroteAnswer) return undefined;
        this.wroteReasoning = true;
        this.lastChar = event.delta[event.delta.length - 1] ?? this.lastChar;
        return writeOut(this.out, this.options.dim ? this.options.dim(event.delta) : event.delta);
      }
      case 'retry':
        this.options.notice?.(`retrying in ${(event.delay_ms / 1000).toFixed(1)} s (${event.reason}, attempt ${event.attempt} of ${event.max_retries})`);
        this.options.spinner?.start();
        return undefined;
      case 'tool_call':
        this.options.notice?.(`tool ${event.name} ${JSON.stringify(event.arguments)}`.slice(0, 200));
        return undefined;
      case 'tool_result':
        this.options.notice?.(`tool ${event.is_error ? 'failed' : 'done'} (${event.output.length} chars)`);
        this.options.spinner?.start();
        return undefined;
      case 'result':
        if ((this.wroteAnswer || this.wroteReasoning) && this.lastChar !== '\n') return writeOut(this.out, '\n');
        return undefined;
      default:
        return undefined;
    }
  }
}
