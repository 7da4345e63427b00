type Env = Record<string, string | undefined>;

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

export function proxyConfigured(env: Env = process.env): boolean {
  return PROXY_VARS.some((name) => (env[name] ?? '') !== '');
}

/**
 * Routes Node's global fetch through HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY. undici is loaded only when a
 * proxy variable is set: it costs ~50 ms of start-up, and Node's fetch is undici already.
 */
export async function installProxyFromEnv(env: Env = process.env): Promise<boolean> {
  if (!proxyConfigured(env)) return false;
  const { EnvHttpProxyAgent, setGlobalDispatcher } = await import('./undici.js');
  setGlobalDispatcher(new EnvHttpProxyAgent());
  return true;
}
