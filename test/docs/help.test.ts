// Every command's --help has a one-line summary and examples; unknown commands and options get a suggestion.
import { describe, expect, it } from 'vitest';
import { describeProgram } from '../../scripts/docgen.js';
import { EXIT_CODES } from '../../src/shared/errors.js';
import { runInProcess } from '../support/cli.js';

const commands = describeProgram().commands.filter((command) => command.name !== 'help');

describe('--help', () => {
  it('codex --help lists every command with its summary', async () => {
    const run = await runInProcess(['--help']);
    expect(run.exitCode).toBe(0);
    for (const command of commands) expect(run.stdout).toMatch(new RegExp(`^  ${command.name}\\b.*${command.summary.slice(0, 20).replace(/[()]/g, '\\$&')}`, 'm'));
  });

  it.each(commands.map((command) => [command.name, command.summary]))('codex %s --help: summary on one line, and examples', async (name, summary) => {
    expect(summary).not.toBe('');
    expect(summary).not.toContain('\n');
    expect(summary.length).toBeLessThanOrEqual(60);
    const run = await runInProcess([name, '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const examples = run.stdout.split('\nExamples:\n')[1];
    expect(examples, `codex ${name} --help has no Examples section`).toBeDefined();
    const lines = examples!.split('\n').filter((line) => line.startsWith('  codex ') || line.includes('| codex ') || line.includes('<(codex '));
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });
});

describe('mistakes', () => {
  it('an unknown command: a suggestion, exit 2', async () => {
    const run = await runInProcess(['aks', 'hello']);
    expect(run.exitCode).toBe(EXIT_CODES.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^codex: unknown command 'aks'/);
    expect(run.stderr).toMatch(/Did you mean ask\?/);
  });

  it('an unknown option: a suggestion, exit 2', async () => {
    const run = await runInProcess(['ask', '--modle', 'x', 'hello']);
    expect(run.exitCode).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/^codex: unknown option '--modle'/);
    expect(run.stderr).toMatch(/Did you mean --model\?/);
  });

  it('a value outside a closed set: the allowed values, exit 2', async () => {
    const run = await runInProcess(['ask', '--effort', 'huge', 'hello']);
    expect(run.exitCode).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/none, minimal, low, medium, high, xhigh/);
  });
});
