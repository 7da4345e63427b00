const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Whether a proxy variable is set: checked before anything proxy-related is loaded. */
export function proxyConfigured(env: Record<string, string | undefined>): boolean {
  return PROXY_VARS.some((name) => (env[name] ?? '') !== '');
}

/**
 * The variables the process-wide proxy follows. The dispatcher installProxyFromEnv makes is global to the process,
 * so the path a request takes (http-send.ts) and the proxy an error names (network-error.ts) follow the process's
 * own variables, not a caller's copy.
 */
export function processProxyEnv(): Record<string, string | undefined> {
  return process.env;
}
