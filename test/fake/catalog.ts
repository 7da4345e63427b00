// The fake backend's model catalog: the `GET /models` answer as the official client 0.171.0 knows it (protocol
// §11; the structure of its bundled catalog is ../shared/captures/official-0.171-models-catalog.json, copied to
// test/fixtures/). The slugs, priorities, versions, plans, flags and numbers are the catalog's; the texts are our
// own. Every field is kept, also those our client does not read, so a client that chokes on one is caught — the
// official client drops the whole answer when an entry lacks `experimental_supported_tools`.

const LEVEL_TEXT: Record<string, string> = {
  low: 'Quick answers with light reasoning',
  medium: 'Balanced depth for everyday coding tasks',
  high: 'Deeper reasoning for harder problems',
  xhigh: 'Very deep reasoning for the hardest problems',
  max: 'The most reasoning this model will spend',
  ultra: 'Deepest reasoning, delegating to sub-agents',
};

const levels = (...efforts: string[]) => efforts.map((effort) => ({ effort, description: LEVEL_TEXT[effort]! }));
const TO_ULTRA = levels('low', 'medium', 'high', 'xhigh', 'max', 'ultra');
const TO_MAX = levels('low', 'medium', 'high', 'xhigh', 'max');
const TO_XHIGH = levels('low', 'medium', 'high', 'xhigh');

/** The plans of 0.171's catalog: the 6.2 models leave out free, free_workspace and k12. */
const PLANS_6_2 = [
  'business',
  'edu',
  'edu_plus',
  'edu_pro',
  'education',
  'ent26',
  'enterprise',
  'enterprise_cbp_automation',
  'enterprise_cbp_trial',
  'enterprise_cbp_usage_based',
  'finserv',
  'go',
  'hc',
  'hc_consumption',
  'law',
  'plus',
  'pro',
  'prolite',
  'promax',
  'quorum',
  'rosalind_academic',
  'sci',
  'self_serve_business_prolite',
  'self_serve_business_usage_based',
  'team',
];
const plans = (...extra: string[]) => {
  const base = [
    'business',
    'edu',
    'edu_plus',
    'edu_pro',
    'education',
    'ent26',
    'enterprise',
    'enterprise_cbp_automation',
    'enterprise_cbp_trial',
    'enterprise_cbp_usage_based',
    'finserv',
    'free',
    'free_workspace',
    'go',
    'hc',
    'k12',
    'plus',
    'pro',
    'prolite',
    'promax',
    'quorum',
    'sci',
    'self_serve_business_prolite',
    'self_serve_business_usage_based',
    'team',
  ];
  return [...base, ...extra].sort();
};
const without = (list: string[], ...gone: string[]) => list.filter((plan) => !gone.includes(plan));

const FAST = (description: string) => [{ id: 'priority', name: 'Fast', description }];
const FAST_6_2 = FAST('Faster, at twice the usage');
const FAST_6 = FAST('2x faster');
const FAST_5 = FAST('Faster answers, more usage');
const messages = (name: string) => ({ instructions_template: `You are ${name}, a coding agent. (fake)` });
const upgradeTo = (model: string) => ({ model, migration_markdown: `A newer model is available: **${model}**. (fake)`, retirement_at: null });

type Entry = Record<string, unknown>;

/** The fields of the catalog's top entry, in its order; the others differ from it where they say so. */
function top(slug: string, display_name: string, description: string): Entry {
  return {
    slug,
    prefer_websockets: true,
    support_verbosity: true,
    default_verbosity: 'low',
    apply_patch_tool_type: 'freeform',
    web_search_tool_type: 'text_and_image',
    input_modalities: ['text', 'image'],
    supports_image_detail_original: true,
    truncation_policy: { mode: 'tokens', limit: 10000 },
    supports_parallel_tool_calls: true,
    tool_mode: 'code_mode_only',
    multi_agent_version: 'v2',
    multi_agent_reasoning_effort: 'xhigh',
    use_responses_lite: true,
    supports_reasoning_effort_updates: true,
    include_skills_usage_instructions: false,
    include_apps_usage_instructions: false,
    include_plugin_usage_instructions: false,
    guardian: null,
    node_repl_auto_review_required: true,
    node_repl_disabled: false,
    requires_sandboxed_review: false,
    allow_only_codex_cloud_agent_orchestrator: false,
    allow_only_chatgpt_workspace_executor: false,
    auto_review_model_override: null,
    model_specialty: null,
    context_window: 500000,
    max_context_window: 872000,
    auto_compact_token_limit: null,
    comp_hash: '3000',
    default_reasoning_summary: 'none',
    display_name,
    description,
    default_reasoning_level: 'low',
    supported_reasoning_levels: TO_ULTRA,
    shell_type: 'shell_command',
    visibility: 'list',
    minimal_client_version: '0.166.0',
    supported_in_api: true,
    availability_nux: null,
    upgrade: null,
    priority: 1,
    model_messages: messages(display_name),
    experimental_supported_tools: ['request_user_input_async', 'send_message_to_user_async', 'clock', 'literature_search_query', 'multi_agent_v2_in_code_mode'],
    available_in_plans: PLANS_6_2,
    supports_search_tool: true,
    supports_experimental_context: false,
    default_service_tier: null,
    service_tiers: FAST_6_2,
    additional_speed_tiers: ['fast'],
    supports_reasoning_summary_parameter: true,
    supports_reasoning_summaries: true,
  };
}

/** `base` with `changes` applied in place (keeping the field order) and the `gone` fields left out. */
function like(base: Entry, changes: Entry, gone: string[] = []): Entry {
  const out: Entry = {};
  for (const [key, value] of Object.entries(base)) if (!gone.includes(key)) out[key] = key in changes ? changes[key] : value;
  for (const [key, value] of Object.entries(changes)) if (!(key in out) && !gone.includes(key)) out[key] = value;
  if (typeof changes.display_name === 'string' && !('model_messages' in changes)) out.model_messages = messages(changes.display_name);
  return out;
}

const NOT_ORCHESTRATION = ['allow_only_codex_cloud_agent_orchestrator', 'allow_only_chatgpt_workspace_executor'];
const SOL_6_2 = top('gpt-6.2-sol', 'GPT-6.2-Sol', 'The newest frontier agentic coding model. (fake)');
const SIX_1 = { minimal_client_version: '0.153.0', experimental_supported_tools: ['send_user_message_async', 'clock'] };
const SIX = {
  ...SIX_1,
  minimal_client_version: '0.155.0',
  multi_agent_reasoning_effort: null,
  context_window: 272000,
  default_reasoning_level: 'medium',
  default_service_tier: 'priority',
  service_tiers: FAST_6,
};
const FIVE_6 = {
  multi_agent_reasoning_effort: null,
  supports_reasoning_effort_updates: false,
  include_apps_usage_instructions: true,
  include_plugin_usage_instructions: true,
  node_repl_auto_review_required: false,
  context_window: 272000,
  minimal_client_version: '0.144.0',
  experimental_supported_tools: [],
  available_in_plans: plans(),
  service_tiers: FAST_5,
};

/** Listed in catalog order, which is not priority order for every entry (a client must sort by priority). */
export const FAKE_CATALOG: Entry[] = [
  SOL_6_2,
  like(SOL_6_2, {
    slug: 'gpt-6.2-astra',
    context_window: 272000,
    display_name: 'GPT-6.2-Astra',
    description: 'Frontier coding model for long, many-step work across large repos. (fake)',
    priority: 2,
  }),
  like(
    SOL_6_2,
    {
      ...SIX_1,
      slug: 'gpt-6-astra',
      context_window: 272000,
      display_name: 'GPT-6-Astra',
      description: 'Strong agentic coding model for long tasks. (fake)',
      priority: 5,
      available_in_plans: plans(),
    },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...SIX_1,
      slug: 'gpt-6.1-sol',
      display_name: 'GPT-6.1-Sol',
      description: 'Fast frontier coding model for everyday work. (fake)',
      availability_nux: { message: 'GPT-6.1-Sol is now available in Codex. (fake)' },
      priority: 4,
      available_in_plans: plans('law'),
    },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...SIX_1,
      slug: 'gpt-6.1-terra',
      display_name: 'GPT-6.1 Terra',
      description: 'Large-context coding model for big codebases. (fake)',
      priority: 3,
      available_in_plans: plans('hc_consumption', 'law'),
      service_tiers: FAST_6,
    },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...SIX,
      slug: 'gpt-6-sol',
      display_name: 'GPT-6-Sol',
      description: 'Balanced agentic coding model. (fake)',
      priority: 6,
      available_in_plans: without(plans(), 'promax'),
    },
    [...NOT_ORCHESTRATION, 'supports_reasoning_effort_updates'],
  ),
  like(
    SOL_6_2,
    {
      ...SIX,
      slug: 'gpt-6-luna',
      node_repl_auto_review_required: false,
      display_name: 'GPT-6-Luna',
      description: 'Small, quick coding model. (fake)',
      supported_reasoning_levels: TO_MAX,
      priority: 7,
      available_in_plans: without(plans(), 'promax'),
    },
    [...NOT_ORCHESTRATION, 'supports_reasoning_effort_updates'],
  ),
  like(
    SOL_6_2,
    { ...FIVE_6, slug: 'gpt-5.6-sol', display_name: 'GPT-5.6-Sol', description: 'The previous frontier model. (fake)', upgrade: upgradeTo('gpt-6-sol'), priority: 8 },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...FIVE_6,
      slug: 'gpt-5.6-terra',
      display_name: 'GPT-5.6-Terra',
      description: 'The previous large-context model. (fake)',
      default_reasoning_level: 'medium',
      upgrade: upgradeTo('gpt-6-sol'),
      priority: 9,
    },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...FIVE_6,
      slug: 'gpt-5.6-luna',
      multi_agent_version: 'v1',
      display_name: 'GPT-5.6-Luna',
      description: 'The previous small model. (fake)',
      default_reasoning_level: 'medium',
      supported_reasoning_levels: TO_MAX,
      upgrade: upgradeTo('gpt-6-luna'),
      priority: 10,
    },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...FIVE_6,
      slug: 'gpt-daybreak-blue-latest',
      model_specialty: 'cyber',
      display_name: 'Daybreak Blue',
      description: 'A hidden model for defensive security work. (fake)',
      visibility: 'hide',
      priority: 11,
      available_in_plans: without(plans(), 'ent26', 'enterprise_cbp_trial', 'promax'),
      service_tiers: [],
      additional_speed_tiers: [],
    },
    [...NOT_ORCHESTRATION, 'multi_agent_reasoning_effort', 'supports_reasoning_effort_updates', 'guardian', 'requires_sandboxed_review', 'supports_experimental_context'],
  ),
  like(
    SOL_6_2,
    {
      ...FIVE_6,
      slug: 'gpt-daybreak-red-latest',
      default_verbosity: 'high',
      include_apps_usage_instructions: false,
      include_plugin_usage_instructions: false,
      model_specialty: 'cyber',
      context_window: 372000,
      max_context_window: 372000,
      display_name: 'Daybreak Red',
      description: 'A hidden model for offensive security research. (fake)',
      default_reasoning_level: 'medium',
      visibility: 'hide',
      minimal_client_version: '0.142.2',
      priority: 12,
      available_in_plans: without(plans(), 'ent26', 'enterprise_cbp_trial', 'promax'),
      service_tiers: [],
      additional_speed_tiers: [],
    },
    [...NOT_ORCHESTRATION, 'multi_agent_reasoning_effort', 'supports_reasoning_effort_updates', 'guardian', 'requires_sandboxed_review', 'supports_experimental_context'],
  ),
  like(
    SOL_6_2,
    {
      ...FIVE_6,
      slug: 'gpt-5.5',
      tool_mode: null,
      multi_agent_version: null,
      use_responses_lite: false,
      include_skills_usage_instructions: true,
      max_context_window: 272000,
      comp_hash: '2911',
      display_name: 'GPT-5.5',
      description: 'The classic-layout model. (fake)',
      default_reasoning_level: 'medium',
      supported_reasoning_levels: TO_XHIGH,
      minimal_client_version: '0.124.0',
      upgrade: upgradeTo('gpt-6-sol'),
      priority: 13,
    },
    NOT_ORCHESTRATION,
  ),
  like(
    SOL_6_2,
    {
      ...FIVE_6,
      slug: 'codex-auto-review',
      multi_agent_version: 'v1',
      include_apps_usage_instructions: false,
      include_plugin_usage_instructions: false,
      display_name: 'Codex Auto Review',
      description: 'Reviews actions before they run. (fake)',
      default_reasoning_level: 'medium',
      supported_reasoning_levels: TO_MAX,
      visibility: 'hide',
      minimal_client_version: '0.98.0',
      priority: 43,
      available_in_plans: without(plans(), 'free', 'free_workspace', 'k12'),
    },
    NOT_ORCHESTRATION,
  ),
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
