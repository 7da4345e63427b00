import type { Citation } from '../../client/events.js';
import { terminalSafe } from './terminal-text.js';

/**
 * The answer's sources as a numbered list for stderr (after the answer on stdout): `[1] title <url>`, or
 * `[1] <url>` without a title. On a terminal the backend's words lose their control characters.
 */
export function sourcesList(citations: readonly Citation[], terminal: boolean): string {
  const clean = (text: string) => (terminal ? terminalSafe(text) : text).replace(/\s+/g, ' ').trim();
  const lines = citations.map((citation, index) => {
    const title = citation.title ? clean(citation.title) : '';
    return `[${index + 1}] ${title ? `${title} ` : ''}<${clean(citation.url)}>`;
  });
  return `sources:\n${lines.join('\n')}\n`;
}
