import { readFile } from 'node:fs/promises';
import { REQUEST_BUDGET_BYTES } from '../../client/request-budget.js';
import { errnoCode } from '../../shared/error-info.js';
import { UsageError } from '../../shared/errors.js';

export { REQUEST_BUDGET_BYTES };

/** A text file for the prompt (`-f PATH`, `-f -` for stdin). */
export interface Attachment {
  name: string;
  text: string;
}

export interface RequestPart {
  name: string;
  bytes: number;
}

function decodeText(bytes: Buffer, name: string): string {
  if (bytes.subarray(0, 8192).includes(0)) throw new UsageError(`--file: ${name} is not text (binary); attach images with -i`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`--file: ${name} is not UTF-8 text; attach images with -i`);
  }
}

/** Reads one `-f` argument; `-` takes the given stdin bytes. */
export async function readAttachment(path: string, stdin?: () => Promise<Buffer>): Promise<Attachment> {
  if (path === '-') {
    if (!stdin) throw new UsageError('--file -: stdin is a terminal or --no-stdin was given');
    return { name: 'stdin', text: decodeText(await stdin(), 'stdin') };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = errnoCode(error);
    throw new UsageError(`--file: cannot read ${path} (${code === 'EISDIR' ? 'a directory' : (code ?? 'error')})`);
  }
  return { name: path, text: decodeText(bytes, path) };
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The prompt, then each file under its name, fenced. */
export function withAttachments(prompt: string, attachments: readonly Attachment[]): string {
  const blocks = attachments.map((file) => {
    const fence = fenceFor(file.text);
    return `File: ${file.name}\n${fence}\n${file.text}${file.text.endsWith('\n') || file.text === '' ? '' : '\n'}${fence}`;
  });
  return [prompt, ...blocks].filter((part) => part.trim() !== '').join('\n\n');
}

function size(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

/** Refuses a request over the budget (exit 2), naming its largest parts. */
export function checkRequestBudget(parts: readonly RequestPart[], budget = REQUEST_BUDGET_BYTES): void {
  const total = parts.reduce((sum, part) => sum + part.bytes, 0);
  if (total <= budget) return;
  const largest = [...parts]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((part) => `${part.name} ${size(part.bytes)}`)
    .join(', ');
  const bytes = (n: number) => n.toLocaleString('en-US');
  throw new UsageError(
    `the request would be ${bytes(total)} bytes, over the limit of ${bytes(budget)} (${size(budget)}; the backend drops larger bodies without an answer); largest parts: ${largest}`,
  );
}
