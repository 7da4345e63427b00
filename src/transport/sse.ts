import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Splits a byte stream into SSE messages, yielded as one batch per network read (so a consumer pays one await
 * per read, not per event). One streaming TextDecoder (a multi-byte character may be split
 * across chunks) feeding eventsource-parser, which handles CRLF, `data:` without a space and comments.
 * `onBytes` is called for every chunk, before its messages, so an idle timer can be reset.
 */
export async function* sseBatches(
  body: AsyncIterable<Uint8Array>,
  onBytes?: () => void,
): AsyncGenerator<EventSourceMessage[]> {
  const decoder = new TextDecoder('utf-8');
  let queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  for await (const chunk of body) {
    onBytes?.();
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (queue.length > 0) {
      const ready = queue;
      queue = [];
      yield ready;
    }
  }
  parser.feed(decoder.decode());
  const whole = queue.length;
  // A final message whose closing blank line never came (the connection closed right after it) is dropped by
  // the SSE rules; backends do send whole last events that way, so it is kept when its data is complete JSON.
  // A torn one (half a frame) is still dropped.
  parser.feed('\n\n');
  for (let i = whole; i < queue.length; i++) {
    if (!isJson(queue[i]!.data)) queue.length = i;
  }
  if (queue.length > 0) yield queue;
}

/** The same messages one by one. */
export async function* sseMessages(body: AsyncIterable<Uint8Array>, onBytes?: () => void): AsyncGenerator<EventSourceMessage> {
  for await (const batch of sseBatches(body, onBytes)) yield* batch;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
