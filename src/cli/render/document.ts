import type { Writable } from 'node:stream';
import type { CodexEvent } from '../../client/events.js';
import { bothDrained } from './output-batch.js';
import type { Renderer } from './renderer.js';
import type { SideChannel } from './side-channel.js';
import { writeOut } from './write-out.js';

/** `--schema` in text mode: nothing until the answer is whole, then exactly that one JSON document. */
export class DocumentRenderer implements Renderer {
  constructor(
    private readonly out: Writable,
    /** `--reasoning`: reasoning and commentary on stderr, as in text mode. */
    private readonly side?: SideChannel,
  ) {}

  event(event: CodexEvent): Promise<void> | undefined {
    if (event.type === 'reasoning.delta') return this.side?.write('reasoning', event.delta);
    if (event.type === 'commentary.delta') return this.side?.write('commentary', event.delta);
    if (event.type !== 'result') return undefined;
    this.side?.breakLine();
    const side = this.side?.batch.flush();
    return bothDrained(side, writeOut(this.out, `${event.text.trim()}\n`));
  }

  flush(): Promise<void> | undefined {
    return this.side?.batch.flush();
  }

  stop(): void {
    this.side?.breakLine();
    this.side?.batch.send();
  }
}
