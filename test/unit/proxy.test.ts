import { describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/transport/proxy.js';

describe('proxyFor: the proxy a request goes through (as undici EnvHttpProxyAgent decides)', () => {
  it.each([
    // No proxy variable: direct.
    ['http://127.0.0.1:9/x', {}, undefined],
    // http:// uses HTTP_PROXY; HTTPS_PROXY alone does not apply to it.
    ['http://127.0.0.1:9/x', { HTTP_PROXY: 'http://p:1' }, 'http://p:1'],
    ['http://127.0.0.1:9/x', { HTTPS_PROXY: 'http://p:1' }, undefined],
    // https:// uses HTTPS_PROXY, else falls back to HTTP_PROXY.
    ['https://chatgpt.com/x', { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:1' }, 'http://s:1'],
    ['https://chatgpt.com/x', { HTTP_PROXY: 'http://p:1' }, 'http://p:1'],
    // Lower case wins over upper case, even when empty (undici reads `http_proxy ?? HTTP_PROXY`).
    ['http://a.test/', { http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:1' }, 'http://low:1'],
    // NO_PROXY: exact host, domain suffix, host:port, `*`; an empty NO_PROXY exempts nothing.
    ['http://127.0.0.1:9/x', { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1' }, undefined],
    ['https://api.chatgpt.com/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.chatgpt.com' }, undefined],
    ['http://127.0.0.1:9/x', { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:10' }, 'http://p:1'],
    ['http://127.0.0.1:9/x', { HTTP_PROXY: 'http://p:1', NO_PROXY: '*' }, undefined],
    ['http://127.0.0.1:9/x', { HTTP_PROXY: 'http://p:1', NO_PROXY: '' }, 'http://p:1'],
    // A password in the proxy URL never reaches a message.
    ['http://a.test/', { HTTP_PROXY: 'http://user:hunter2@p:1' }, 'http://user:***@p:1'],
  ])('%s with %j → %s', (url, env, expected) => {
    expect(proxyFor(url, env as Record<string, string>)).toBe(expected);
  });
});
