import { describe, expect, it } from 'vitest';
import { CAP_AFTER_CHARACTERS, youngGenerationCap } from '../../src/cli/ask/young-generation.js';

/** A cap whose flag setter records what it was given. */
function recorded(version: string, options: { setter?: (flags: string) => void; given?: string[] } = {}) {
  const set: string[] = [];
  const cap = youngGenerationCap({
    version,
    setFlags: (flags) => {
      set.push(flags);
      options.setter?.(flags);
    },
    given: options.given ?? [],
  });
  return { cap, set };
}

describe('the young-generation cap of a long answer', () => {
  it('sets the flag once, when the answer passes the threshold, and V8 default back at release', () => {
    const { cap, set } = recorded('24.22.3');
    cap.grew(CAP_AFTER_CHARACTERS - 1);
    expect(set).toEqual([]);
    cap.grew(1);
    expect(set).toEqual(['--semi-space-growth-factor=1']);
    cap.grew(CAP_AFTER_CHARACTERS);
    expect(set).toHaveLength(1);
    cap.release();
    cap.release();
    expect(set).toEqual(['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  });

  it('counts many small deltas as one answer; a short answer sets nothing, at release either', () => {
    const { cap, set } = recorded('20.20.2');
    for (let sent = 0; sent < CAP_AFTER_CHARACTERS; sent += 256) cap.grew(256);
    expect(set).toEqual(['--semi-space-growth-factor=1']);
    const short = recorded('20.20.2');
    short.cap.grew(1000);
    short.cap.release();
    expect(short.set).toEqual([]);
  });

  it('leaves a Node major it was not measured on alone (V8 prints a flag it does not know on stderr)', () => {
    const { cap, set } = recorded('26.0.0');
    cap.grew(CAP_AFTER_CHARACTERS * 2);
    cap.release();
    expect(set).toEqual([]);
  });

  it('leaves the flag alone when the user set it on the command line', () => {
    const { cap, set } = recorded('24.22.3', { given: ['--semi-space-growth-factor=4'] });
    cap.grew(CAP_AFTER_CHARACTERS * 2);
    expect(set).toEqual([]);
  });

  it('a setter that throws costs nothing but the cap', () => {
    const { cap, set } = recorded('22.11.0', {
      setter: () => {
        throw new Error('refused');
      },
    });
    expect(() => cap.grew(CAP_AFTER_CHARACTERS)).not.toThrow();
    expect(() => cap.release()).not.toThrow();
    expect(set).toHaveLength(2);
  });
});
