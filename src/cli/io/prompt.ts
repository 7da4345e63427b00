import { UsageError } from '../../shared/errors.js';

export interface PromptSources {
  words: string[];
  noStdin: boolean;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Called once when words were given and stdin has said nothing for a while. */
  onSilentStdin?: () => void;
  silentAfterMs?: number;
  /** Files make up the prompt (`-f`): no words and no stdin is then fine. */
  allowEmpty?: boolean;
}

/** Every byte of a stream; `onFirstChunk` is told when the first one arrives. */
export async function readBytes(stream: NodeJS.ReadableStream, onFirstChunk?: () => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    if (chunks.length === 0) onFirstChunk?.();
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

async function readAll(stream: NodeJS.ReadableStream, onSilent: (() => void) | undefined, silentAfterMs: number): Promise<string> {
  const timer = onSilent ? setTimeout(onSilent, silentAfterMs) : undefined;
  let bytes: Buffer;
  try {
    bytes = await readBytes(stream, () => timer && clearTimeout(timer));
  } finally {
    if (timer) clearTimeout(timer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError('standard input is not valid UTF-8 text');
  }
}

/**
 * The prompt: the words given, then (when stdin is not a terminal) stdin after a blank line. `-` alone means
 * stdin only. Empty → usage error.
 */
export async function readPrompt(sources: PromptSources): Promise<string> {
  if (sources.words.length > 1 && sources.words.includes('-')) {
    throw new UsageError('`-` means "the prompt is stdin only"; give it alone, or give words without it');
  }
  const stdinOnly = sources.words.length === 1 && sources.words[0] === '-';
  const words = stdinOnly ? '' : sources.words.join(' ');
  const mayRead = !sources.noStdin && sources.stdin.isTTY !== true;
  if (stdinOnly && !mayRead) throw new UsageError('`-` means "read the prompt from stdin", but stdin is a terminal or --no-stdin was given');
  let piped = '';
  if (mayRead) {
    piped = await readAll(sources.stdin, words === '' ? undefined : sources.onSilentStdin, sources.silentAfterMs ?? 3000);
  }
  const prompt = words !== '' && piped.trim() !== '' ? `${words}\n\n${piped}` : words !== '' ? words : piped;
  if (prompt.trim() === '' && !sources.allowEmpty) {
    throw new UsageError(sources.stdin.isTTY === true || sources.noStdin ? 'no prompt: give it as words (codex ask "…") or pipe it on stdin' : 'empty prompt');
  }
  return prompt;
}
