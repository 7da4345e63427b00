// The official client for tests: installed when missing; in CI a missing binary fails the run instead of skipping.
// @ts-expect-error: a plain .mjs module without types, shared with .ci/run and the bench.
import { installOfficial, OFFICIAL_VERSION } from '../../scripts/official-client.mjs';

export { OFFICIAL_VERSION };

let cached: { bin: string } | { skipped: string } | undefined;

/** The official `codex` bin, or undefined after saying on stderr why the official-client tests skip. */
export function officialCodexBin(): string | undefined {
  cached ??= installOfficial() as { bin: string } | { skipped: string };
  if ('bin' in cached) return cached.bin;
  if (process.env.CI) throw new Error(`the official client is required in CI: ${cached.skipped}`);
  process.stderr.write(`official-client tests skipped: ${cached.skipped}\n`);
  return undefined;
}
