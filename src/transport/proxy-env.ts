const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Whether a proxy variable is set: checked before anything proxy-related is loaded. */
export function proxyConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return PROXY_VARS.some((name) => (env[name] ?? '') !== '');
}
