// Reset credits: listed at `GET {chatgpt}/wham/rate-limit-reset-credits`, one redeemed with `POST …/consume`
// `{redeem_request_id, credit_id}` → `{code, windows_reset}` (openai/codex backend-client, protocol §11).
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { ApiError } from '../shared/errors.js';
import type { BackendHttp } from '../transport/backend-http.js';
import { readJson, withDeadline } from '../transport/read-json.js';
import { whamUrl } from './routing.js';

const TIMEOUT_MS = 20_000;

export const ResetCreditSchema = z.looseObject({
  id: z.string(),
  reset_type: z.optional(z.nullable(z.string())),
  status: z.optional(z.nullable(z.string())),
  granted_at: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  expires_at: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  title: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
});
export type ResetCredit = z.infer<typeof ResetCreditSchema>;

const CreditListSchema = z.looseObject({ credits: z.optional(z.nullable(z.array(z.unknown()))), available_count: z.number() });

/** `reset`: windows were reset; `nothing_to_reset`: no window was used, the credit is kept; the others spend nothing. */
export const REDEEM_CODES = ['reset', 'nothing_to_reset', 'no_credit', 'already_redeemed'] as const;
export type RedeemCode = (typeof REDEEM_CODES)[number];
const ConsumeSchema = z.looseObject({ code: z.enum(REDEEM_CODES), windows_reset: z.optional(z.nullable(z.number())) });

export interface ResetCreditList {
  /** Every credit the backend lists (entries it sends in another shape are skipped). */
  credits: ResetCredit[];
  available_count: number;
}

export interface RedeemResult {
  code: RedeemCode;
  windows_reset: number;
  /** The id sent: sending the same one again cannot spend a second credit. */
  redeem_request_id: string;
}

interface Options {
  http: Pick<BackendHttp, 'request'>;
  baseUrl: string;
  signal?: AbortSignal;
  /** How long the answer may take, body included (20 s). */
  timeoutMs?: number;
}

export async function listResetCredits(options: Options): Promise<ResetCreditList> {
  const url = whamUrl(options.baseUrl, 'rate-limit-reset-credits');
  const what = 'the reset-credit list';
  const signal = withDeadline(options.signal, options.timeoutMs ?? TIMEOUT_MS, what);
  const { response } = await options.http.request({ method: 'GET', path: '', url, signal });
  const parsed = CreditListSchema.safeParse(await readJson(response, what, signal));
  if (!parsed.success) throw new ApiError('server_error', 'the reset-credit list has an unexpected shape', { status: response.status });
  const credits = (parsed.data.credits ?? []).flatMap((entry) => {
    const credit = ResetCreditSchema.safeParse(entry);
    return credit.success ? [credit.data] : [];
  });
  return { credits, available_count: parsed.data.available_count };
}

/** A credit that may be redeemed: status `available` (or none given). */
export const isAvailable = (credit: ResetCredit) => credit.status == null || credit.status.toLowerCase() === 'available';

const expiryMs = (credit: ResetCredit) => {
  if (credit.expires_at == null) return Number.POSITIVE_INFINITY;
  const ms = typeof credit.expires_at === 'number' ? credit.expires_at * 1000 : Date.parse(credit.expires_at);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
};

/** The available credit that expires first (one without an expiry last), or undefined. */
export function firstToExpire(credits: readonly ResetCredit[]): ResetCredit | undefined {
  return credits
    .filter(isAvailable)
    .map((credit, index) => ({ credit, index }))
    .sort((a, b) => expiryMs(a.credit) - expiryMs(b.credit) || a.index - b.index)[0]?.credit;
}

/** Redeems one credit; a retry of the request (network, 5xx) carries the same redeem_request_id. */
export async function redeemResetCredit(options: Options & { creditId?: string; redeemRequestId?: string }): Promise<RedeemResult> {
  const url = whamUrl(options.baseUrl, 'rate-limit-reset-credits/consume');
  const redeemRequestId = options.redeemRequestId ?? randomUUID();
  const body = { redeem_request_id: redeemRequestId, ...(options.creditId !== undefined ? { credit_id: options.creditId } : {}) };
  const what = 'the answer to the redeem request';
  const signal = withDeadline(options.signal, options.timeoutMs ?? TIMEOUT_MS, what);
  const { response } = await options.http.request({ method: 'POST', path: '', url, body, signal });
  const parsed = ConsumeSchema.safeParse(await readJson(response, what, signal));
  if (!parsed.success) throw new ApiError('server_error', 'the answer to the redeem request has an unexpected shape', { status: response.status });
  return { code: parsed.data.code, windows_reset: parsed.data.windows_reset ?? 0, redeem_request_id: redeemRequestId };
}
