// The responses this server answered recently, kept in memory so that `previous_response_id` and `item_reference`
// work although the backend keeps nothing (store=false). Bounded by count and by bytes; the oldest unused go first.

/** Defaults: per process, documented in the README's serve section. */
export const STORE_MAX_RESPONSES = 256;
export const STORE_MAX_BYTES = 64 * 1024 * 1024;

export interface StoredResponse {
  id: string;
  /** The whole context of the response: the input items the backend was sent, then its output items. */
  items: readonly unknown[];
  /** The JSON size of `items` (an upper bound: items shared with earlier responses are counted again). */
  bytes: number;
}

export interface StoreLimits {
  maxResponses: number;
  maxBytes: number;
}

function idOf(item: unknown): string | undefined {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export class ResponseStore {
  private readonly responses = new Map<string, StoredResponse & { output: readonly unknown[] }>();
  /** Output items by id, for `item_reference`: item id → the response that produced it. */
  private readonly owners = new Map<string, string>();
  private bytes = 0;
  readonly limits: StoreLimits;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { maxResponses: limits.maxResponses ?? STORE_MAX_RESPONSES, maxBytes: limits.maxBytes ?? STORE_MAX_BYTES };
  }

  get size(): number {
    return this.responses.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Keeps a response; one bigger than the whole budget is not kept (a later reference to it is refused). */
  put(id: string, input: readonly unknown[], output: readonly unknown[], bytes: number): void {
    this.remove(id);
    if (bytes > this.limits.maxBytes || this.limits.maxResponses < 1) return;
    this.responses.set(id, { id, items: [...input, ...output], output, bytes });
    this.bytes += bytes;
    for (const item of output) {
      const itemId = idOf(item);
      if (itemId) this.owners.set(itemId, id);
    }
    for (const oldest of this.responses.keys()) {
      if (this.responses.size <= this.limits.maxResponses && this.bytes <= this.limits.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** A kept response (it becomes the most recently used). */
  get(id: string): StoredResponse | undefined {
    const found = this.responses.get(id);
    if (!found) return undefined;
    this.responses.delete(id);
    this.responses.set(id, found);
    return found;
  }

  /** An output item of a kept response, by its id. */
  item(itemId: string): unknown {
    const owner = this.owners.get(itemId);
    const response = owner === undefined ? undefined : this.responses.get(owner);
    return response?.output.find((item) => idOf(item) === itemId);
  }

  private remove(id: string): void {
    const found = this.responses.get(id);
    if (!found) return;
    this.responses.delete(id);
    this.bytes -= found.bytes;
    for (const item of found.output) {
      const itemId = idOf(item);
      if (itemId && this.owners.get(itemId) === id) this.owners.delete(itemId);
    }
  }
}
