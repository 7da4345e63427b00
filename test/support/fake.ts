import { afterAll, beforeAll, beforeEach, type TestContext } from 'vitest';
import { FakeCodex } from '../fake/server.js';

/** A started fake for one test or one scenario; the caller closes it. */
export async function startFake(): Promise<FakeCodex> {
  return new FakeCodex().start();
}

/**
 * A fake of one test's own, closed when the test ends: for concurrent tests, which must not share the file's fake
 * (its reset before each test would wipe what a neighbour's fake recorded).
 */
export async function testFake({ onTestFinished }: TestContext): Promise<FakeCodex> {
  const fake = await startFake();
  onTestFinished(() => fake.close());
  return fake;
}

/**
 * One fake for the test file: started before its tests, reset before each, closed after. `fresh` restores all of
 * its defaults before each test instead (for files whose tests change the account, the authorize page or the
 * device flow, which reset() keeps).
 */
export function useFake(options: { fresh?: boolean } = {}): FakeCodex {
  const fake = new FakeCodex();
  beforeAll(async () => {
    await fake.start();
  });
  beforeEach(() => (options.fresh ? fake.restoreDefaults() : fake.reset()));
  afterAll(async () => {
    await fake.close();
  });
  return fake;
}
