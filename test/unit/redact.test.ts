import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/shared/redact.js';

const first = 'rt_first_0123456789abcdefghijklmnopqrstuvwxyz';
const second = 'rt_second_ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';

describe('maskSecrets', () => {
  it('masks a secret whole and a piece of one, with the secrets of this call, as they change between calls', () => {
    expect(maskSecrets(`token ${first} end`, [first])).toBe('token [redacted] end');
    expect(maskSecrets(`echo ${first.slice(5, 25)} end`, [first])).toBe('echo [redacted] end');
    // The secrets changed (a refresh): the new one's pieces are masked, the old one's are no longer known.
    expect(maskSecrets(`echo ${second.slice(3, 20)} and ${first.slice(5, 25)}`, [second])).toBe(`echo [redacted] and ${first.slice(5, 25)}`);
    expect(maskSecrets(`echo ${first.slice(5, 25)}`, [first, second])).toBe('echo [redacted]');
    expect(maskSecrets(`echo ${first.slice(5, 25)}`, [])).toBe(`echo ${first.slice(5, 25)}`);
  });

  it('leaves pieces shorter than 12 characters alone', () => {
    expect(maskSecrets(`short ${first.slice(0, 11)}`, [first])).toBe(`short ${first.slice(0, 11)}`);
  });
});
