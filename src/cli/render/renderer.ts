import type { CodexEvent, ErrorEvent } from '../../client/events.js';

/**
 * Turns events into bytes on an output. Deltas are gathered and written at `flush`, the end of a network read;
 * any other event first writes what is gathered. `event` and `flush` return a promise only when an output needs
 * draining.
 */
export interface Renderer {
  event(event: CodexEvent): Promise<void> | undefined;
  /** The events of one network read have all been given: write what they produced. */
  flush?(): Promise<void> | undefined;
  /** The run failed; JSON mode writes its terminal `error` event. */
  error?(event: ErrorEvent): void;
  /** Ends any progress display (called before the run's outcome is reported); writes what is gathered. */
  stop?(): void;
}
