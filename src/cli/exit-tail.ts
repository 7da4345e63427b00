import v8 from 'node:v8';

/**
 * The exit tail. A process whose HTTP goes through undici (a proxy from env, or Node's own fetch) compiles undici's
 * llhttp WebAssembly; V8 first compiles it with its baseline compiler (Liftoff), then again with TurboFan in the
 * background, and the process cannot exit before that background job ends: ≈ 150–500 ms after the last byte on Node
 * 20 (README "Performance"). `--liftoff-only` skips the second compile. It is set at run time, and only:
 * - on Node < 22: from 22 on, this flag set at run time has no effect (measured on Node 24; other flags do, see
 *   src/cli/ask/young-generation.ts), and the command-line flag costs more start-up than it saves;
 * - once undici and Node's fetch classes are loaded: changing a flag changes V8's flag hash, and code cached under
 *   the old hash (Node's built-in modules, the compile cache) is rejected and compiled again;
 * - for a short-lived command: a long-running server keeps parsing with the faster TurboFan code.
 * `codex ask` without a proxy talks node:http (no WebAssembly) and needs none of this.
 * Returns whether the flag was set.
 */
export function avoidWasmTierUp(version: string = process.versions.node): boolean {
  if (Number(version.split('.')[0]) >= 22) return false;
  // Loads Node's fetch classes (and their cached code) before the flag hash changes.
  void globalThis.Response;
  try {
    v8.setFlagsFromString('--liftoff-only');
    return true;
  } catch {
    return false;
  }
}
