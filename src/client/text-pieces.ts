/**
 * A long answer kept as the flat pieces it was gathered in, joined into one string only when someone reads
 * `text`: `--json` streams the `result` line from the pieces, so a 100 MB answer is held once, not twice.
 */
const piecesOf = new WeakMap<object, readonly string[]>();

/**
 * Gives `target` a `text` property (where it already has one, in the same place, so JSON key order is kept) that
 * joins `pieces` on first read and keeps only the joined string from then on. `pieces` is not copied: the
 * caller hands it over.
 */
export function withTextPieces<T extends { text: string }>(target: T, pieces: readonly string[]): T {
  piecesOf.set(target, pieces);
  Object.defineProperty(target, 'text', {
    enumerable: true,
    configurable: true,
    get(): string {
      const whole = pieces.length === 1 ? pieces[0]! : pieces.join('');
      piecesOf.delete(target);
      Object.defineProperty(target, 'text', { value: whole, enumerable: true, configurable: true, writable: true });
      return whole;
    },
    set(value: string): void {
      piecesOf.delete(target);
      Object.defineProperty(target, 'text', { value, enumerable: true, configurable: true, writable: true });
    },
  });
  return target;
}

/** The pieces behind `holder.text` (without joining them), or the text itself as one piece. */
export function textPieces(holder: { text: string }): readonly string[] {
  return piecesOf.get(holder) ?? [holder.text];
}

/** The length of `holder.text`, without joining its pieces. */
export function textLength(holder: { text: string }): number {
  const pieces = piecesOf.get(holder);
  if (!pieces) return holder.text.length;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length;
}

/** `{ ...holder, ...fields }`, keeping `text` in its pieces (a spread would join them). */
export function withFields<T extends { text: string }, F extends object>(holder: T, fields: F): T & F {
  const pieces = piecesOf.get(holder);
  if (!pieces) return { ...holder, ...fields };
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(holder)) copy[key] = key === 'text' ? '' : holder[key as keyof T];
  return withTextPieces(Object.assign(copy, fields) as T & F, pieces);
}
