import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../src/transport/cookie-jar.js';

const NOW = 1_800_000_000_000;
const backend = new URL('https://chatgpt.com/backend-api/codex/responses');

describe('the cookie jar (chatgpt.com Cloudflare cookies, protocol §11)', () => {
  it('sends back what a host set, to that host only, until it expires or is deleted', () => {
    const jar = new CookieJar();
    jar.store(backend, ['__cf_bm=one; Path=/; Max-Age=1800; Secure; HttpOnly', '_cfuvid=two; Path=/; Domain=.chatgpt.com; Secure'], NOW);
    expect(jar.header(backend, NOW)).toBe('__cf_bm=one; _cfuvid=two');
    expect(jar.header(new URL('https://auth.openai.com/oauth/token'), NOW)).toBeUndefined();
    expect(jar.header(backend, NOW + 1_801_000)).toBe('_cfuvid=two');
    jar.store(backend, ['_cfuvid=gone; Max-Age=0'], NOW);
    expect(jar.header(backend, NOW)).toBeUndefined();
  });

  it('a Secure cookie never goes over plain HTTP, but for loopback; a past Expires deletes; junk is ignored', () => {
    const jar = new CookieJar();
    const plain = new URL('http://gateway.example/x');
    jar.store(plain, ['s=1; Secure', 'p=2', 'junk', '=novalue', 'old=3; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], NOW);
    expect(jar.header(plain, NOW)).toBe('p=2');
    const loopback = new URL('http://127.0.0.1:8080/x');
    jar.store(loopback, ['s=1; Secure'], NOW);
    expect(jar.header(loopback, NOW)).toBe('s=1');
  });
});
