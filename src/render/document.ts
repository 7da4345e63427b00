import type { Writable } from 'node:stream';
import type { CodexEvent } from '../client/events.js';
import { writeOut } from './write-out.js';
import type { Renderer } from './renderer.js';

/** `--schema` in text mode: nothing until the answer is whole, then exactly that one JSON document. */
export class DocumentRenderer implements Renderer {
  constructor(private readonly out: Writable) {}

  event(event: CodexEvent): Promise<void> | undefined {
    if (event.type !== 'result') return undefined;
    return writeOut(this.out, `${event.text.trim()}\n`);
  }
}
