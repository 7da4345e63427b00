/**
 * A long answer kept as the pieces it was gathered in, joined into one string only when someone reads `text`:
 * `--json` streams the `result` line from the pieces, so a 100 MB answer is held once, not twice. Pieces of a long
 * answer are kept outside V8's heap (StoredText): an answer held on the heap made the old generation grow by half
 * as much again, and the young generation to its maximum (64 MB a semi-space on Node 24), before any of it was freed.
 */
const piecesOf = new WeakMap<object, readonly TextPiece[]>();

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

/** Pieces up to this long are copied into a slab by hand (see TextGatherer.storeShort). */
const SHORT_CHARS = 32;

/** Stored pieces are written one after another into buffers of this size: few allocations, none freed early. */
const SLAB_BYTES = 1 << 20;

/**
 * Slabs as SharedArrayBuffers, whose bytes V8 leaves out of its GC accounting. A plain Buffer's bytes count as
 * external memory allocated since the last full GC, which V8 adds to the old generation's size: a 100 MB answer
 * made it start incremental marking every few MB (8–12 full GCs), and what the stream allocated during each marking
 * was kept alive by it and counted as surviving, which grew the young generation to 16–32 MB a semi-space on
 * Node 24. Not the default: such garbage is freed only by a full GC that something else starts, which a process
 * that ends with its answer (the CLI's ask) never needs, but a server holding many answers would.
 */
let sharedSlabs = false;

/** For a process whose gathered text lives until it ends: slabs outside V8's GC accounting (see sharedSlabs). */
export function holdGatheredTextUntilExit(): void {
  sharedSlabs = typeof SharedArrayBuffer === 'function';
}

function newSlab(size: number): Buffer {
  return sharedSlabs ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
}

/**
 * Text kept in a Buffer in the cheapest lossless encoding: one byte a character when every character fits in one
 * (latin1), else the UTF-16 code units as they are (lone surrogates included, which UTF-8 could not keep).
 */
export class StoredText {
  /** `bytes`: latin1, or UTF-16LE code units when `wide`. */
  constructor(
    private readonly bytes: Buffer,
    private readonly wide: boolean,
  ) {}

  static of(text: string): StoredText {
    const narrow = isNarrow(text);
    return new StoredText(Buffer.from(text, narrow ? 'latin1' : 'utf16le'), !narrow);
  }

  /** In UTF-16 code units, as a string's. */
  get length(): number {
    return this.wide ? this.bytes.length >>> 1 : this.bytes.length;
  }

  toString(): string {
    return this.bytes.toString(this.wide ? 'utf16le' : 'latin1');
  }

  /** The text's bytes when it is latin1 (one byte a character), to be read without making a string of it. */
  latin1Bytes(): Uint8Array | undefined {
    return this.wide ? undefined : this.bytes;
  }
}

/** Every character fits in one byte. ASCII (as many UTF-8 bytes as characters) is checked natively first. */
function isNarrow(text: string): boolean {
  return (text.length > 64 && Buffer.byteLength(text, 'utf8') === text.length) || !BEYOND_LATIN1.test(text);
}

/**
 * Gathers the many small pieces of a long text (an answer's deltas) without a rope of small strings on V8's heap:
 * the first STORE_AT characters are kept as strings (a short answer is never stored), and from then on each piece
 * is written into 1 MiB slabs outside the heap as it comes, cut into StoredText pieces of about STORE_AT
 * characters. Nothing of a long answer outlives a young-generation collection on the heap: bytes that do make V8
 * grow its young generation (Node 24 took it to 32 MB a semi-space for a 100 MB answer gathered as strings). A
 * write per piece costs no more than joining the pieces first (the join's copy is what it saves).
 */
export class TextGatherer {
  private static readonly STORE_AT = 64 * 1024;
  private readonly stored: StoredText[] = [];
  private strings: string[] = [];
  private stringsLength = 0;
  /** Where the stored text goes, once there is any; the open piece is `buffer[start, used)`. */
  private slab: { buffer: Buffer; used: number } | undefined;
  private start = 0;
  private wide = false;

  add(text: string): void {
    if (this.slab !== undefined) {
      this.store(text);
      return;
    }
    this.strings.push(text);
    this.stringsLength += text.length;
    if (this.stringsLength < TextGatherer.STORE_AT) return;
    this.slab = { buffer: Buffer.alloc(0), used: 0 };
    this.store(this.strings.join(''));
    this.strings = [];
    this.stringsLength = 0;
  }

  /** The text so far: the stored pieces, or else what came as one string (a new array). */
  textPieces(): TextPiece[] {
    if (this.slab !== undefined) {
      this.close();
      return [...this.stored];
    }
    if (this.strings.length > 1) this.strings = [this.strings.join('')];
    return [...this.strings];
  }

  text(): string {
    return joinPieces(this.textPieces());
  }

  private store(text: string): void {
    const slab = this.slab!;
    // A token-sized piece is copied here, checked as it goes: cheaper than a regular expression and a native write.
    if (text.length <= SHORT_CHARS && slab.buffer.length - slab.used >= 2 * SHORT_CHARS && this.storeShort(text)) return;
    if (!this.wide && !isNarrow(text)) {
      this.close();
      this.wide = true;
    }
    const size = this.wide ? text.length * 2 : text.length;
    if (slab.buffer.length - slab.used < size) {
      const wide = this.wide;
      this.close();
      this.wide = wide;
      slab.buffer = newSlab(Math.max(SLAB_BYTES, size));
      slab.used = 0;
      this.start = 0;
    }
    slab.used += slab.buffer.write(text, slab.used, this.wide ? 'utf16le' : 'latin1');
    if ((slab.used - this.start) >>> (this.wide ? 1 : 0) >= TextGatherer.STORE_AT) this.close();
  }

  /** Copies a short piece into the open one; false (nothing kept) when a narrow piece meets a wide character. */
  private storeShort(text: string): boolean {
    const slab = this.slab!;
    const buffer = slab.buffer;
    let at = slab.used;
    if (this.wide) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        buffer[at++] = code & 0xff;
        buffer[at++] = code >>> 8;
      }
    } else {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0xff) return false;
        buffer[at++] = code;
      }
    }
    slab.used = at;
    if ((at - this.start) >>> (this.wide ? 1 : 0) >= TextGatherer.STORE_AT) this.close();
    return true;
  }

  /** Ends the open piece (a new one starts narrow). */
  private close(): void {
    const slab = this.slab!;
    if (slab.used > this.start) this.stored.push(new StoredText(slab.buffer.subarray(this.start, slab.used), this.wide));
    this.start = slab.used;
    this.wide = false;
  }
}

export type TextPiece = string | StoredText;

/** A piece as a string (a stored one is decoded: a new string each time). */
export function pieceText(piece: TextPiece): string {
  return typeof piece === 'string' ? piece : piece.toString();
}

/** The pieces as one string. */
export function joinPieces(pieces: readonly TextPiece[]): string {
  return pieces.length === 1 ? pieceText(pieces[0]!) : pieces.map(pieceText).join('');
}

/**
 * Gives `target` a `text` property (where it already has one, in the same place, so JSON key order is kept) that
 * joins `pieces` on first read and keeps only the joined string from then on. `pieces` is not copied: the
 * caller hands it over.
 */
export function withTextPieces<T extends { text: string }>(target: T, pieces: readonly TextPiece[]): T {
  piecesOf.set(target, pieces);
  Object.defineProperty(target, 'text', {
    enumerable: true,
    configurable: true,
    get(): string {
      const whole = joinPieces(pieces);
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
export function textPieces(holder: { text: string }): readonly TextPiece[] {
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
