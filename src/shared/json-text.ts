/** Whether the text is one whole JSON value (a torn frame or a half-written file is not). */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
