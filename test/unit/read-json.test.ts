import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/errors.js';
import { withDeadline } from '../../src/transport/read-json.js';

describe('withDeadline', () => {
  it('fires with a network ApiError that names what did not arrive (not a cancel)', async () => {
    const signal = withDeadline(undefined, 20, 'the list');
    await once(signal, 'abort');
    expect(signal.reason).toBeInstanceOf(ApiError);
    expect(signal.reason).toMatchObject({ code: 'network', exitCode: 5, message: 'the list did not arrive within 20 ms' });
  });

  it("the caller's abort comes through with the caller's reason", async () => {
    const caller = new AbortController();
    const signal = withDeadline(caller.signal, 60_000, 'the list');
    caller.abort('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('stop');
  });
});
