import module from 'node:module';
import { describe, expect, it } from 'vitest';
import { enableCompileCache } from '../../src/cli/compile-cache.js';

describe('module compile cache', () => {
  it('is a no-op where Node has no module.enableCompileCache (Node 20)', () => {
    expect(enableCompileCache({})).toBe(false);
  });

  it('is turned on once where Node has it (≥ 22.1)', () => {
    const calls: unknown[][] = [];
    expect(enableCompileCache({ enableCompileCache: (...args: unknown[]) => calls.push(args) })).toBe(true);
    expect(calls).toEqual([[]]);
  });

  it('a cache that cannot be set up never stops the CLI', () => {
    expect(
      enableCompileCache({
        enableCompileCache: () => {
          throw new Error('EACCES');
        },
      }),
    ).toBe(false);
  });

  it('on this Node, follows what node:module offers', () => {
    expect(enableCompileCache()).toBe(typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function');
  });
});
