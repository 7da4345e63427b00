// The access log's fields come from clients (the path, the model): on the operator's terminal none of them may
// drive it (ESC, OSC 52 clipboard writes, C1 codes) or forge a line, and none may flood it.

/** C0 controls, DEL, C1 controls, the Unicode line and paragraph separators and bidi overrides; and the backslash. */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;

/** The longest field written whole; a longer one is cut and its length given. */
export const LOG_FIELD_MAX = 80;

/** `text` with every unsafe character as a `\xHH` / `\u{HHHH}` escape (and a backslash doubled). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (char) => {
    if (char === '\\') return '\\\\';
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** One space-separated log field: escaped, spaces as `\x20`, cut at LOG_FIELD_MAX (with the whole length). */
export function logField(text: string): string {
  const field = escapeControls(text.slice(0, LOG_FIELD_MAX)).replace(/ /g, '\\x20');
  return text.length > LOG_FIELD_MAX ? `${field}…(${text.length}chars)` : field;
}

export interface AccessEntry {
  method: string;
  path: string;
  model?: string;
  status: number;
  ms: number;
  tokens?: number;
  /** Why a request failed on the server's side (not shown to the client). */
  error?: string;
}

export function accessLine(entry: AccessEntry): string {
  const fields = [
    logField(entry.method),
    logField(entry.path),
    `model=${entry.model === undefined ? '-' : logField(entry.model)}`,
    `status=${entry.status}`,
    `ms=${entry.ms}`,
    `tokens=${entry.tokens ?? '-'}`,
  ];
  // Free text, so last on the line.
  if (entry.error !== undefined) fields.push(`error: ${escapeControls(entry.error.slice(0, 500))}`);
  return fields.join(' ');
}
