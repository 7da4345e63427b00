// What the backend refuses in a /responses body beyond the common checks, by layout (protocol §11, checked
// against the official client 0.171.0). Each rule refuses only what the official request shows is never sent.

type Item = { type?: unknown; role?: unknown; content?: unknown };
type Part = { type?: unknown; image_url?: unknown; detail?: unknown };

/** openai/codex#27246: the backend's own words. */
export const LITE_IMAGE_DETAIL = 'Responses Lite does not support image detail';
/**
 * The official client refuses remote image URLs on lite itself, so the backend's words for them are unknown:
 * these are ours (docs/protocol.md says so).
 */
export const LITE_REMOTE_IMAGE = 'Responses Lite does not support remote image URLs; send the image inline as a data: URL';
/**
 * The official lite request carries no top-level `instructions` (openai/codex#27946); how the backend words a
 * refusal of one is unknown: this is the form it uses for every other refused parameter.
 */
export const LITE_INSTRUCTIONS = 'Unsupported parameter: instructions';
/** Third-party clients without instructions on a classic model, mid-2026 (protocol §11 [3p]). */
export const INSTRUCTIONS_REQUIRED = 'Instructions are required';

function imageParts(input: unknown[]): Part[] {
  const parts: Part[] = [];
  for (const item of input as Item[]) {
    if (item?.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content as Part[]) if (part?.type === 'input_image') parts.push(part);
  }
  return parts;
}

/** The 400 detail for a lite request (the lite header was sent), if it breaks a Lite rule. */
export function liteRefusal(request: Record<string, unknown>): string | undefined {
  if ('instructions' in request) return LITE_INSTRUCTIONS;
  for (const part of imageParts(request.input as unknown[])) {
    if ('detail' in part) return LITE_IMAGE_DETAIL;
    if (typeof part.image_url !== 'string' || !part.image_url.startsWith('data:')) return LITE_REMOTE_IMAGE;
  }
  return undefined;
}

/**
 * The 400 detail for a classic request (no lite header), if it breaks a classic rule. Only for classic models:
 * what the backend does with a Lite model asked in the classic shape is not known.
 */
export function classicRefusal(request: Record<string, unknown>, model: { use_responses_lite?: unknown }): string | undefined {
  if (model.use_responses_lite === true) return undefined;
  if (typeof request.instructions !== 'string' || request.instructions.trim() === '') return INSTRUCTIONS_REQUIRED;
  return undefined;
}
