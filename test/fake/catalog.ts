// The fake backend's model catalog: the shape of the real `GET /models` answer of December 2026 (protocol §10,
// checked against the structure of the official 0.169 bundled catalog). The entries and texts are our own; the
// fields a client does not read are kept so that a client that chokes on unknown fields is caught.

const LEVEL_TEXT: Record<string, string> = {
  low: 'Quick answers, light reasoning',
  medium: 'Everyday depth',
  high: 'Deeper reasoning',
  xhigh: 'Very deep reasoning',
  max: 'The deepest reasoning',
  ultra: 'Deepest reasoning, with delegation',
};

const ALL_LEVELS = ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'];
const NO_ULTRA = ['low', 'medium', 'high', 'xhigh', 'max'];

interface EntrySpec {
  slug: string;
  display_name: string;
  priority: number;
  visibility?: 'list' | 'hide';
  minimal_client_version: string;
  default_reasoning_level?: string;
  levels?: string[];
  lite?: boolean;
  context_window?: number;
  default_verbosity?: string;
}

function entry(spec: EntrySpec): Record<string, unknown> {
  const levels = spec.levels ?? ALL_LEVELS;
  return {
    slug: spec.slug,
    display_name: spec.display_name,
    description: `${spec.display_name} (fake catalog)`,
    default_reasoning_level: spec.default_reasoning_level ?? 'low',
    supported_reasoning_levels: levels.map((effort) => ({ effort, description: LEVEL_TEXT[effort] ?? effort })),
    shell_type: 'unified_exec',
    visibility: spec.visibility ?? 'list',
    supported_in_api: true,
    priority: spec.priority,
    minimal_client_version: spec.minimal_client_version,
    additional_speed_tiers: ['fast'],
    service_tiers: [{ id: 'priority', name: 'Fast', description: 'faster, more usage' }],
    default_reasoning_summary: 'none',
    support_verbosity: true,
    default_verbosity: spec.default_verbosity ?? 'low',
    apply_patch_tool_type: 'freeform',
    web_search_tool_type: 'text_and_image',
    truncation_policy: { mode: 'tokens', limit: 10000 },
    context_window: spec.context_window ?? 272000,
    max_context_window: 872000,
    effective_context_window_percent: 95,
    input_modalities: ['text', 'image'],
    supports_search_tool: true,
    use_responses_lite: spec.lite ?? true,
    supports_reasoning_effort_updates: true,
    base_instructions: `You are ${spec.display_name}. (fake instructions)`,
  };
}

/**
 * Listed in a different order than their priority (a client must sort), one hidden entry, and one model that
 * only newer clients than the official 0.171.0 may see (`gpt-6.2-nova`).
 */
export const FAKE_CATALOG: Record<string, unknown>[] = [
  entry({ slug: 'gpt-6-astra', display_name: 'GPT-6 Astra', priority: 2, minimal_client_version: '0.160.0' }),
  entry({ slug: 'gpt-6.1-sol', display_name: 'GPT-6.1 Sol', priority: 1, minimal_client_version: '0.168.0' }),
  entry({ slug: 'gpt-6.1-terra', display_name: 'GPT-6.1 Terra', priority: 7, minimal_client_version: '0.168.0', context_window: 500000 }),
  entry({ slug: 'gpt-6-sol', display_name: 'GPT-6 Sol', priority: 3, minimal_client_version: '0.160.0', default_reasoning_level: 'medium' }),
  entry({ slug: 'gpt-6-luna', display_name: 'GPT-6 Luna', priority: 4, minimal_client_version: '0.160.0', default_reasoning_level: 'medium', levels: NO_ULTRA }),
  entry({ slug: 'gpt-5.6-sol', display_name: 'GPT-5.6 Sol', priority: 5, minimal_client_version: '0.150.0' }),
  entry({ slug: 'gpt-5.6-terra', display_name: 'GPT-5.6 Terra', priority: 8, minimal_client_version: '0.150.0', default_reasoning_level: 'medium' }),
  entry({ slug: 'gpt-5.6-luna', display_name: 'GPT-5.6 Luna', priority: 9, minimal_client_version: '0.150.0', default_reasoning_level: 'medium', levels: NO_ULTRA }),
  entry({
    slug: 'gpt-5.5',
    display_name: 'GPT-5.5',
    priority: 13,
    minimal_client_version: '0.120.0',
    default_reasoning_level: 'medium',
    levels: ['low', 'medium', 'high', 'xhigh'],
    lite: false,
  }),
  entry({
    slug: 'codex-auto-review',
    display_name: 'Codex Auto Review',
    priority: 43,
    visibility: 'hide',
    minimal_client_version: '0.150.0',
    default_reasoning_level: 'medium',
    levels: NO_ULTRA,
  }),
  entry({ slug: 'gpt-6.2-nova', display_name: 'GPT-6.2 Nova', priority: 0, minimal_client_version: '0.175.0' }),
];

/**
 * Slugs the backend no longer serves to ChatGPT accounts (protocol §10): it answers them like an unknown slug.
 */
export const RETIRED_SLUGS = [
  'gpt-5.4',
  'gpt-5.4-mini',
  'gpt-5.3-codex',
  'gpt-5.2',
  'gpt-5.2-codex',
  'gpt-5.1-codex-max',
  'gpt-5.1-codex',
  'gpt-5.1-codex-mini',
  'gpt-5.1',
  'gpt-5-codex',
  'gpt-5',
  'codex-mini-latest',
];

/** `0.171.0` against `0.168.0`: numeric per part; a missing or unreadable version counts as 0.0.0. */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const parts = (version: string | undefined) => {
    const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  };
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export function notSupportedDetail(slug: string): string {
  return `The '${slug}' model is not supported when using Codex with a ChatGPT account.`;
}

export function newerVersionDetail(slug: string): string {
  return `The '${slug}' model requires a newer version of Codex. Please upgrade to the latest app or CLI and try again.`;
}
