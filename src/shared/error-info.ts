// What a caught value says about itself, for messages: anything can be thrown, so nothing is assumed.

/** The errno-style code of a Node error (`ENOENT`, `EACCES` …), when the value carries a string one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The message of an Error (or of anything with one); otherwise the value as a string. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** The errno code when there is one, else the message: the short reason a file operation failed. */
export function errnoOrMessage(error: unknown): string {
  return errnoCode(error) ?? messageOf(error);
}
