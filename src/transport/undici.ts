// A static import in its own module: a bundled dynamic import of the CommonJS undici loses its named exports.
export { EnvHttpProxyAgent, Pool, request, setGlobalDispatcher } from 'undici';
