declare const __CODEX_VERSION__: string | undefined;

/** The package version, set at build time. Its own module so `codex --version` loads nothing else. */
export const VERSION: string = typeof __CODEX_VERSION__ === 'string' ? __CODEX_VERSION__ : '0.0.0-dev';
