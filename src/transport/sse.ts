import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Splits a byte stream into SSE messages. One streaming TextDecoder (a multi-byte character may be split
 * across chunks) feeding eventsource-parser, which handles CRLF, `data:` without a space and comments.
 * `onBytes` is called for every chunk, before its messages, so an idle timer can be reset.
 */
export async function* sseMessages(
  body: AsyncIterable<Uint8Array>,
  onBytes?: () => void,
): AsyncGenerator<EventSourceMessage> {
  const decoder = new TextDecoder('utf-8');
  let queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => queue.push(message) });
  for await (const chunk of body) {
    onBytes?.();
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (queue.length > 0) {
      const ready = queue;
      queue = [];
      yield* ready;
    }
  }
  parser.feed(decoder.decode());
  // A final message without its blank line is incomplete by the SSE rules and is dropped, as browsers do.
  yield* queue;
}
