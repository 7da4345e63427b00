import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';
/** Stands for a pasted line break in the line being edited (shown as ␤), and becomes "\n" in the message. */
const PASTED_NEWLINE = '\u2424';
const HISTORY_SIZE = 500;

export interface ChatInput {
  /** The next message: a pasted block is one message; lines ending in `\` go on on the next line. Undefined at Ctrl-D. */
  read(): Promise<string | undefined>;
}

/**
 * What the chat reads: one readline prompt per line, on a terminal put into raw mode only while the prompt is open
 * (so while an answer streams, Ctrl-C reaches the ask as SIGINT). Bracketed paste is switched on at the prompt: the
 * line breaks of a pasted block stay in the message instead of sending its first line and losing the rest.
 */
export function chatInput(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): ChatInput {
  let history: string[] = [];
  const readLine = (prompt: string) =>
    new Promise<string | undefined>((resolve) => {
      const relay = new PassThrough();
      let pasting = false;
      let carry = '';
      const onData = (chunk: Buffer) => {
        let text = carry + chunk.toString('utf8');
        carry = '';
        // A marker split across two reads: keep its start for the next one.
        const partial = [PASTE_START, PASTE_END].map((marker) => longestMarkerPrefixAtEnd(text, marker)).reduce((a, b) => Math.max(a, b), 0);
        if (partial > 0) {
          carry = text.slice(-partial);
          text = text.slice(0, -partial);
        }
        let out = '';
        while (text !== '') {
          const marker = pasting ? PASTE_END : PASTE_START;
          const at = text.indexOf(marker);
          const piece = at === -1 ? text : text.slice(0, at);
          out += pasting ? piece.replace(/\r\n|\r|\n/g, PASTED_NEWLINE) : piece;
          if (at === -1) break;
          pasting = !pasting;
          text = text.slice(at + marker.length);
        }
        if (out !== '') relay.write(out);
      };
      const rl = createInterface({
        input: relay,
        output: stdout,
        terminal: true,
        history,
        historySize: HISTORY_SIZE,
        removeHistoryDuplicates: true,
        prompt,
      });
      let answered = false;
      const finish = (line: string | undefined) => {
        stdin.off('data', onData);
        stdin.setRawMode?.(false);
        stdin.pause();
        if (stdout.isTTY) stdout.write('\x1b[?2004l');
        resolve(line);
      };
      rl.on('line', (line) => {
        answered = true;
        history = [...(rl as unknown as { history: string[] }).history];
        rl.close();
        finish(line.replaceAll(PASTED_NEWLINE, '\n'));
      });
      rl.on('SIGINT', () => {
        // Ctrl-C at the prompt drops what was typed, as a shell does.
        rl.write(null, { ctrl: true, name: 'u' });
        stdout.write('^C\n');
        rl.prompt();
      });
      rl.on('close', () => {
        if (answered) return;
        stdout.write('\n');
        finish(undefined);
      });
      if (stdout.isTTY) stdout.write('\x1b[?2004h');
      stdin.setRawMode?.(true);
      stdin.on('data', onData);
      stdin.resume();
      rl.prompt();
    });

  return {
    async read() {
      const lines: string[] = [];
      for (;;) {
        const line = await readLine(lines.length === 0 ? '> ' : '… ');
        if (line === undefined) return lines.length > 0 ? lines.join('\n') : undefined;
        // A line ending in a backslash goes on: the message is the lines so far, joined by line breaks.
        if (line.endsWith('\\') && !line.endsWith('\\\\')) {
          lines.push(line.slice(0, -1));
          continue;
        }
        lines.push(line);
        return lines.join('\n');
      }
    },
  };
}

function longestMarkerPrefixAtEnd(text: string, marker: string): number {
  for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(marker.slice(0, length))) return length;
  }
  return 0;
}
