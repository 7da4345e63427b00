export const DEFAULT_BASE_URL = 'https://chatgpt.com/backend-api/codex';
export const DEFAULT_ISSUER = 'https://auth.openai.com';
/**
 * The Codex client version we present (protocol §10): the backend hides and refuses models whose
 * `minimal_client_version` is above it. The newest official release known to this project; raise it with env
 * CODEX_CLIENT_VERSION or config.json `client_version` when the backend asks for a newer one.
 */
export const DEFAULT_CLIENT_VERSION = '0.171.0';
