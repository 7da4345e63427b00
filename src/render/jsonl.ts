import type { Writable } from 'node:stream';
import type { CodexEvent, ErrorEvent, StartEvent } from '../client/events.js';
import { writeOut } from './write-out.js';
import type { Renderer } from './renderer.js';

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
    return writeOut(this.out, `${JSON.stringify(event)}\n`);
  }

  error(event: ErrorEvent): void {
    void this.event(event);
  }
}
