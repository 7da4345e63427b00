// What the backend requires of every /responses request (protocol §10), as `codex` sends it: a catalog model, the
// `version` header at or above the model's minimal_client_version, and the official client's originator,
// session and User-Agent headers. Shared by the bench's peer clients so they measure the same exchange.
import { randomUUID } from 'node:crypto';

export const CLIENT_VERSION = '0.171.0';
export const MODEL = 'gpt-6.2-sol';

export function backendHeaders(auth) {
  const sessionId = randomUUID();
  return {
    version: CLIENT_VERSION,
    authorization: `Bearer ${auth.access_token}`,
    'chatgpt-account-id': auth.account_id,
    originator: 'codex_cli_rs',
    session_id: sessionId,
    'session-id': sessionId,
    'user-agent': `codex_cli_rs/${CLIENT_VERSION} (bench; x86_64) unknown (codex-oauth-bench; 0)`,
  };
}

export function requestBody(prompt) {
  return {
    model: MODEL,
    instructions: 'bench',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] }],
    store: false,
    stream: true,
  };
}
