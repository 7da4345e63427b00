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

// No classic rule: "Instructions are required" was reported for third-party clients in mid-2026 [3p], but the
// official client's own classic (gpt-5.5) requests carry no top-level instructions (0.169.0 recorded, 0.171.0 seen
// through serve), and the backend serves it; so the fake does not refuse a classic request without them.

/**
 * A function call sent back must name the namespace it was made in when that is not the default one (`functions`):
 * the Responses API's own words (vercel/ai's recorded openai-missing-function-call-namespace-error fixture).
 */
export function missingNamespace(request: Record<string, unknown>): string | undefined {
  const input = (Array.isArray(request.input) ? request.input : []) as { type?: unknown; name?: unknown; namespace?: unknown; tools?: unknown }[];
  const inDefault = new Set<unknown>();
  const elsewhere = new Set<unknown>();
  for (const item of input) {
    if (item?.type !== 'additional_tools' || !Array.isArray(item.tools)) continue;
    for (const namespace of item.tools as { type?: unknown; name?: unknown; tools?: unknown }[]) {
      if (namespace?.type !== 'namespace' || !Array.isArray(namespace.tools)) continue;
      for (const tool of namespace.tools as { name?: unknown }[]) (namespace.name === 'functions' ? inDefault : elsewhere).add(tool?.name);
    }
  }
  for (const item of Array.isArray(request.tools) ? (request.tools as { type?: unknown; name?: unknown }[]) : []) if (item?.type === 'function') inDefault.add(item.name);
  const call = input.find((item) => item?.type === 'function_call' && item.namespace === undefined && !inDefault.has(item.name) && elsewhere.has(item.name));
  if (!call) return undefined;
  return `Missing namespace for function_call '${String(call.name)}'. It does not exist in the default namespace. Round-trip the model's function_call item with its namespace field included.`;
}
