// The built-in system prompt is documented where a user looks: README, man page and `codex ask --help`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUCTIONS } from '../../src/client/request.js';
import { runCli } from '../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the built-in system prompt', () => {
  it('README, man page and ask --help quote it as sent', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`*${DEFAULT_INSTRUCTIONS}*`);
    expect(readFileSync(join(ROOT, 'man/codex.1'), 'utf8')).toContain(`.I ${DEFAULT_INSTRUCTIONS}\n`);
    expect((await runCli(['ask', '--help'])).stdout).toContain(`\n  ${DEFAULT_INSTRUCTIONS}\n`);
  });
});
