import { once } from 'node:events';
import type { Writable } from 'node:stream';

const draining = new WeakMap<Writable, Promise<void>>();

/**
 * Writes with back-pressure: returns a promise only when the stream's buffer is full. Writers that hit a full
 * buffer at the same time share one wait for 'drain'.
 */
export function writeOut(stream: Writable, text: string | Uint8Array): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  let wait = draining.get(stream);
  if (!wait) {
    wait = once(stream, 'drain').then(
      () => void draining.delete(stream),
      () => void draining.delete(stream),
    );
    draining.set(stream, wait);
  }
  return wait;
}
