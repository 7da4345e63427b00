// The image parts of the JSON-lines contract (schema_version stays 1): the `image` event of `ask`, the `images` of
// its result, and the one `result` line of `codex image --json`.
import * as z from 'zod/mini';

/** One image the model made during an ask: where it went (or that it was not kept) and what it is. Added in 0.2. */
export const GeneratedImageInfoSchema = z.object({
  /** `image_generation_call` (the hosted tool, classic models) or `imagegen` (the client-side function, Responses Lite). */
  source: z.string(),
  /** The output item's or the function call's id, when the backend gave one. */
  id: z.optional(z.string()),
  /** The file it was written to (`--image-out DIR`); absent when it was not saved. */
  path: z.optional(z.string()),
  /** `png`, `webp`, `jpeg` … as the backend names it. */
  format: z.string(),
  /** Size of the image file in bytes. */
  bytes: z.number(),
  /** WIDTHxHEIGHT, when the backend says. */
  size: z.optional(z.string()),
  quality: z.optional(z.string()),
  /** The prompt the image model was given, as the backend rewrote it. */
  revised_prompt: z.optional(z.string()),
});
export type GeneratedImageInfo = z.infer<typeof GeneratedImageInfoSchema>;

export const ImageEventSchema = z.extend(GeneratedImageInfoSchema, { type: z.literal('image') });
export type ImageEvent = z.infer<typeof ImageEventSchema>;

/** `codex image --json`: its one line. */
export const ImageResultEventSchema = z.object({
  type: z.literal('result'),
  /** The file written (`-o FILE`). */
  path: z.string(),
  format: z.string(),
  size: z.optional(z.string()),
  quality: z.optional(z.string()),
  bytes: z.number(),
  /** The image endpoint's token usage, as it sent it. */
  usage: z.optional(z.record(z.string(), z.unknown())),
});
export type ImageResultEvent = z.infer<typeof ImageResultEventSchema>;
