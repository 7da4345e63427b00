import { describe, expect, it } from 'vitest';
import { CAP_AFTER_CHARACTERS, youngGenerationCap } from '../../src/cli/ask/young-generation.js';

/** A cap whose flag setter records what it was given. */
function recorded(version: string, setter?: (flags: string) => void) {
  const set: string[] = [];
  const grew = youngGenerationCap(version, (flags) => {
    set.push(flags);
    setter?.(flags);
  });
  return { grew, set };
}

describe('the young-generation cap of a long answer', () => {
  it('sets the flag once, when the answer passes the threshold, and never for a short one', () => {
    const { grew, set } = recorded('24.22.3');
    grew(CAP_AFTER_CHARACTERS - 1);
    expect(set).toEqual([]);
    grew(1);
    expect(set).toEqual(['--semi-space-growth-factor=1']);
    grew(CAP_AFTER_CHARACTERS);
    expect(set).toHaveLength(1);
  });

  it('counts many small deltas as one answer', () => {
    const { grew, set } = recorded('20.20.2');
    for (let sent = 0; sent < CAP_AFTER_CHARACTERS; sent += 256) grew(256);
    expect(set).toEqual(['--semi-space-growth-factor=1']);
  });

  it('leaves a Node major it was not measured on alone: V8 would print an unknown flag on stdout', () => {
    const { grew, set } = recorded('26.0.0');
    grew(CAP_AFTER_CHARACTERS * 2);
    expect(set).toEqual([]);
  });

  it('a setter that throws costs nothing but the cap', () => {
    const { grew, set } = recorded('22.11.0', () => {
      throw new Error('refused');
    });
    expect(() => grew(CAP_AFTER_CHARACTERS)).not.toThrow();
    expect(set).toHaveLength(1);
  });
});
