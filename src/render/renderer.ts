import type { CodexEvent, ErrorEvent } from '../client/events.js';

/** Turns events into bytes on an output. `event` returns a promise only when the output needs draining. */
export interface Renderer {
  event(event: CodexEvent): Promise<void> | undefined;
  /** The run failed; JSON mode writes its terminal `error` event. */
  error?(event: ErrorEvent): void;
  /** Ends any progress display (called before the run's outcome is reported). */
  stop?(): void;
}
