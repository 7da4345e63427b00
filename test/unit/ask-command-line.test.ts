// ask's fast path (src/cli/ask/fast-path.ts) reads a plain `codex ask` line without commander; whatever it reads
// must be exactly what commander reads, and whatever commander refuses (or answers with help) it must hand back.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAskCommandLine } from '../../src/cli/ask/fast-path.js';
import { askOptionShapes } from '../../src/cli/ask/options.js';
import { separatePromptWords } from '../../src/cli/ask/prompt-words.js';
import { commandIndexIn } from '../../src/cli/command-word.js';
import type { CliIo } from '../../src/cli/context.js';
import { withColorValue } from '../../src/cli/io/color-choice.js';
import { buildProgram } from '../../src/cli/program.js';

/** What commander makes of argv, as program-main.ts runs it: the words and options ask's action gets, or 'refused'. */
async function commanderReading(argv: string[]): Promise<unknown> {
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() }) as unknown as NodeJS.WriteStream;
  const io = { stdout: sink(), stderr: sink() } as Pick<CliIo, 'stdout' | 'stderr'>;
  let reading: unknown = 'refused';
  const program = buildProgram(
    async (command) => {
      reading = { words: command.processedArgs[0], options: { ...command.opts() }, globals: { ...command.parent!.opts() } };
    },
    'ask',
    io,
  );
  try {
    await program.parseAsync(withColorValue(separatePromptWords(argv, commandIndexIn(argv), askOptionShapes())), { from: 'user' });
  } catch {
    return 'refused';
  }
  return reading;
}

const PLAIN: string[][] = [
  ['ask', 'hi'],
  ['ask'],
  ['ask', '-'],
  ['ask', ''],
  ['ask', 'what', 'is', 'tcp'],
  ['ask', 'what', 'does', '-v', 'do'],
  ['ask', 'what', 'is', 'UDP', '--json'],
  ['ask', 'hi', '-m', 'gpt-6-luna', '--json'],
  ['ask', '--model=gpt-6-luna', '-e', 'high', 'hi'],
  ['ask', '-s', 'be brief', 'hi'],
  ['ask', '--system-file', 'sys.txt', 'hi'],
  ['ask', '--fast', '--no-fast', 'hi'],
  ['ask', '--no-fast', '--fast', 'hi'],
  ['ask', '-n', '--no-log', '-u', '--reasoning', '--raw', 'hi'],
  ['ask', '-f', 'a.md', '--file', '-', '-f', 'b.md', 'summarise'],
  ['ask', '-i', 'a.png', '--image=b.png', '--tool', 't.json', '--search-domain', 'nodejs.org', 'q'],
  ['ask', '--search', '--web', '--image-out', 'pics', '--schema', '{"type":"object"}', 'q'],
  ['ask', '--timeout', '10', '--idle-timeout', '5', '--max-retries', '0', '--max-turns', '3', 'q'],
  ['ask', '--min-remaining', 'codex=20', '--wait-for-reset', 'q'],
  ['ask', '-c', 'more'],
  ['ask', '--cid', 'review', '-t', 'reviewer', '--verbosity', 'low', 'q'],
  ['ask', '-o', 'out.md', 'q'],
  ['ask', '--', '--json', '-m'],
  ['ask', '-m', 'x', '--', 'a', 'b'],
  ['ask', 'explain', '--', 'the', '--json', 'flag'],
  ['--verbose', 'ask', 'hi'],
  ['-v', '--config-dir', 'd', '--base-url', 'http://x', '--issuer', 'http://y', '--profile', 'work', 'ask', 'hi'],
  ['ask', 'hi', '--verbose', '--profile', 'p'],
  ['--color', 'never', 'ask', 'hi'],
  ['--color', 'ask', 'hi'],
  ['ask', 'hi', '--color'],
  ['ask', 'hi', '--color=always'],
  ['--no-color', 'ask', 'hi'],
  ['--profile', 'ask', 'ask', 'q'],
  ['ask', 'ask'],
  ['ask', 'help'],
  ['ask', '-m', '', 'q'],
];

const HANDED_BACK: string[][] = [
  ['ask', '--help'],
  ['ask', '-h'],
  ['ask', 'hi', '-V'],
  ['ask', 'hi', '--version'],
  ['--version', 'ask'],
  ['ask', 'hi', '--bogus'],
  ['ask', 'hi', '--jsno'],
  ['ask', '-nu', 'hi'],
  ['ask', '-mgpt-6', 'hi'],
  ['ask', '-m'],
  ['ask', 'hi', '-m', '--json'],
  ['ask', '-e', 'huge', 'hi'],
  ['ask', '--verbosity', 'loud', 'hi'],
  ['--color', 'sometimes', 'ask', 'hi'],
  ['ask', '-s', 'x', '--system-file', 'f', 'hi'],
  ['ask', '--json=1', 'hi'],
  ['ask', 'explain', 'the', '-o', 'flag'],
  ['-m', 'x', 'ask', 'hi'],
  ['models'],
  ['--', 'ask', 'hi'],
  [],
];

describe("ask's command line without commander", () => {
  it.each(PLAIN.map((argv) => [argv.join(' '), argv]))('reads `%s` as commander does', async (_, argv) => {
    const fast = readAskCommandLine(argv);
    expect(fast).toBeDefined();
    expect(fast).toEqual(await commanderReading(argv));
  });

  it.each(HANDED_BACK.map((argv) => [argv.join(' '), argv]))('hands `%s` to commander', (_, argv) => {
    expect(readAskCommandLine(argv)).toBeUndefined();
  });
});
