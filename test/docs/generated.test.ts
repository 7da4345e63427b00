// The man page, the completions and the event schema are generated from the code (scripts/docgen.ts): these
// tests fail when they are out of date, when they miss a command or option, or name one that no longer exists.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSlugs, describeProgram, exitStatuses, GENERATED_FILES, generateAll } from '../../scripts/docgen.js';
import { ERROR_CODES, EXIT_CODES } from '../../src/shared/errors.js';
import { runCli } from '../support/cli.js';
import { has, longOptions, ROOT } from '../support/docs.js';
import { tempDir } from '../support/temp.js';

const spec = describeProgram();
const commands = spec.commands.map((command) => command.name);
const defined = new Set([...spec.globals, ...spec.commands.flatMap((command) => command.options)].map((option) => option.long));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('generated files', () => {
  it('are up to date (run `npm run gen` when this fails)', async () => {
    const files = await generateAll(ROOT, spec);
    expect(Object.keys(files).sort()).toEqual([...GENERATED_FILES].sort());
    for (const [path, content] of Object.entries(files)) {
      expect(read(path), `${path} is out of date: run npm run gen`).toBe(content);
    }
  });

  it('cover the commands and options a change would add (the generator sees a new option)', () => {
    // Guard against the generator silently missing parts of the program.
    expect(commands).toEqual(expect.arrayContaining(['ask', 'models', 'login', 'logout', 'status', 'refresh', 'completion', 'help']));
    expect(defined).toEqual(new Set([...defined].filter((name) => name.startsWith('--'))));
    expect(defined.has('--paste') && defined.has('--if-expiring') && defined.has('--max-turns')).toBe(true);
  });
});

describe('man page', () => {
  const man = read('man/codex.1');

  it('has every command and every long option, and no option that does not exist', () => {
    for (const command of commands) expect(man, command).toMatch(new RegExp(`^\\.SS codex ${command}\\b`, 'm'));
    const headings = [...man.matchAll(/^\.SS codex (\S+)/gm)].map((match) => match[1]);
    expect(headings.sort()).toEqual([...commands].sort());
    const mentioned = longOptions(man);
    for (const option of defined) expect(mentioned.has(option), `${option} missing from man/codex.1`).toBe(true);
    for (const option of mentioned) expect(defined.has(option), `man/codex.1 mentions ${option}, which no command defines`).toBe(true);
  });

  it('has the sections a man page needs, every environment variable and exit status', () => {
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'ENVIRONMENT', 'FILES', 'EXIT STATUS', 'EXAMPLES', 'SEE ALSO']) {
      expect(man).toMatch(new RegExp(`^\\.SH "?${section}"?$`, 'm'));
    }
    const environment = man.slice(man.indexOf('.SH ENVIRONMENT'), man.indexOf('.SH FILES')).replace(/\\-/g, '-');
    for (const variable of [
      'CODEX_CONFIG_DIR',
      'CODEX_BASE_URL',
      'CODEX_ISSUER',
      'CODEX_VERBOSE',
      'CODEX_MODEL',
      'CODEX_AUTH_JSON',
      'CODEX_HOME',
      'NO_COLOR',
      'FORCE_COLOR',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NO_PROXY',
      'XDG_CONFIG_HOME',
    ]) {
      expect(environment, variable).toContain(variable);
    }
    const files = man.slice(man.indexOf('.SH FILES'), man.indexOf('.SH EXIT STATUS')).replace(/\\-/g, '-');
    for (const file of ['auth.json', 'config.json', 'auth.json.lock', 'models-cache.json']) expect(files).toContain(file);
    const exit = man.slice(man.indexOf('.SH EXIT STATUS'), man.indexOf('.SH EXAMPLES'));
    for (const status of [0, ...new Set(Object.values(EXIT_CODES))]) expect(exit).toMatch(new RegExp(`^\\.B ${status}$`, 'm'));
  });

  it.skipIf(!has('mandoc'))('is clean under mandoc -T lint', () => {
    const lint = spawnSync('mandoc', ['-T', 'lint', join(ROOT, 'man/codex.1')], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it.skipIf(!has('groff'))('renders without groff warnings', () => {
    const run = spawnSync('groff', ['-man', '-ww', '-z', join(ROOT, 'man/codex.1')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('exit status tables', () => {
  it('list every error code once, under its exit status, in the README and the man page', () => {
    const statuses = exitStatuses();
    expect(statuses.flatMap((entry) => entry.codes).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const entry of statuses) for (const code of entry.codes) expect(EXIT_CODES[code]).toBe(entry.status);
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('<!-- END GENERATED exit-codes -->'));
    for (const [code, { exit }] of Object.entries(ERROR_CODES)) expect(table, code).toMatch(new RegExp(`^\\| ${exit} \\|.*\`${code}\``, 'm'));
    const man = read('man/codex.1');
    const exitSection = man.slice(man.indexOf('.SH EXIT STATUS'), man.indexOf('.SH EXAMPLES'));
    for (const code of Object.keys(ERROR_CODES)) expect(exitSection, code).toContain(`\\fB${code}\\fR`);
  });
});

describe('completions', () => {
  const bash = read('completions/codex.bash');
  const zsh = read('completions/_codex');
  const fish = read('completions/codex.fish');

  it('name exactly the commands commander defines', () => {
    expect(/_codex_commands='([^']*)'/.exec(bash)?.[1]?.split(' ')).toEqual(commands);
    const zshList = /_codex_command_list=\(\n([\s\S]*?)\n\)/.exec(zsh)?.[1] ?? '';
    expect([...zshList.matchAll(/'([\w-]+):/g)].map((match) => match[1])).toEqual(commands);
    expect([...fish.matchAll(/-n 'not __fish_seen_subcommand_from [^']*' -a ([\w-]+)/g)].map((match) => match[1])).toEqual(commands);
  });

  it('have every long option, and none that does not exist', () => {
    const fishOptions = new Set([...fish.matchAll(/^complete -c codex\b.*? -l ([a-z][a-z0-9-]*)/gm)].map((match) => `--${match[1]}`));
    for (const [file, mentioned] of [
      ['codex.bash', longOptions(bash)],
      ['_codex', longOptions(zsh)],
      ['codex.fish', fishOptions],
    ] as const) {
      for (const option of defined) expect(mentioned.has(option), `${option} missing from completions/${file}`).toBe(true);
      for (const option of mentioned) expect(defined.has(option), `completions/${file} mentions ${option}, which no command defines`).toBe(true);
    }
  });

  it('bash -n accepts the bash completion', () => {
    const check = spawnSync('bash', ['-n', join(ROOT, 'completions/codex.bash')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it.skipIf(!has('zsh'))('zsh -n accepts the zsh completion', () => {
    const check = spawnSync('zsh', ['-n', join(ROOT, 'completions/_codex')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it.skipIf(!has('fish'))('fish -n accepts the fish completion', () => {
    const check = spawnSync('fish', ['-n', join(ROOT, 'completions/codex.fish')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  /** A folder with a file, a subfolder, and a config dir whose model cache lists two slugs. */
  function fixture(): { cwd: string; configDir: string } {
    const cwd = tempDir('codex-complete-');
    writeFileSync(join(cwd, 'tool.json'), '{}');
    const configDir = join(cwd, 'cfg');
    mkdirSync(configDir);
    writeFileSync(
      join(configDir, 'models-cache.json'),
      JSON.stringify({ version: 1, fetched_at_ms: 1, base_url: 'x', models: [{ slug: 'cached-one', display_name: 'One' }, { slug: 'cached-two' }] }),
    );
    return { cwd, configDir };
  }

  it('bash: completes commands, options, closed sets, model slugs (cache, then built-in) and files', () => {
    const { cwd, configDir } = fixture();
    const cases: [string[], string][] = [
      [['codex', ''], commands.join(' ')],
      [['codex', 'lo'], 'login logout log'],
      [['codex', 'log', ''], 'list show rm path search'],
      [['codex', 'log', 'rm', '--pu'], '--purge'],
      [['codex', 'ask', '--ef'], '--effort'],
      [['codex', 'ask', '--effort', ''], 'none minimal low medium high xhigh max ultra'],
      [['codex', 'ask', '-e', 'm'], 'minimal medium max'],
      [['codex', 'ask', '--verbosity', ''], 'low medium high'],
      [['codex', 'completion', ''], 'bash zsh fish'],
      [['codex', '--config-dir', configDir, 'ask', '-m', ''], 'cached-one cached-two'],
      [['codex', 'ask', '--model=cached-t'], ''],
      [['codex', '--config-dir', join(cwd, 'none'), 'ask', '-m', ''], builtinSlugs().join(' ')],
      [['codex', 'ask', '--tool', 'to'], 'tool.json'],
      [['codex', 'login', '--import', 'to'], 'tool.json'],
      [['codex', '--config-dir', 'c'], 'cfg'],
      [['codex', 'status', '--j'], '--json'],
    ];
    const script = [
      `source ${JSON.stringify(join(ROOT, 'completions/codex.bash'))}`,
      ...cases.map(
        ([words]) => `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _codex; echo "\${COMPREPLY[*]}"`,
      ),
    ].join('\n');
    const run = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: cwd } });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').slice(0, cases.length)).toEqual(cases.map(([, expected]) => expected));
  });

  it.skipIf(!has('fish'))('fish: completes closed sets, model slugs from the cache, and files', () => {
    const { cwd, configDir } = fixture();
    const complete = (line: string) => {
      const run = spawnSync('fish', ['--no-config', '-c', `source ${join(ROOT, 'completions/codex.fish')}; complete -C ${JSON.stringify(line)}`], {
        cwd,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: cwd },
      });
      expect(run.stderr).toBe('');
      return run.stdout
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.split('\t')[0]);
    };
    expect(complete('codex ask --effort ').sort()).toEqual(['high', 'low', 'max', 'medium', 'minimal', 'none', 'ultra', 'xhigh']);
    expect(complete(`codex --config-dir ${configDir} ask -m `)).toEqual(['cached-one', 'cached-two']);
    expect(complete('codex ask --tool to')).toEqual(['tool.json']);
    expect(complete('codex completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(complete('codex ')).toEqual(expect.arrayContaining(commands));
  });
});

describe('codex completion', () => {
  it.each([
    ['bash', 'completions/codex.bash'],
    ['zsh', 'completions/_codex'],
    ['fish', 'completions/codex.fish'],
  ])('%s prints %s', async (shell, path) => {
    const run = await runCli(['completion', shell]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(read(path));
  });

  it('works from the packed package (npm pack), which ships man page, completions and schema', async () => {
    const dir = tempDir('codex-pack-');
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['dist/cli.js', 'man/codex.1', 'schema/events.schema.json', 'completions/codex.bash', 'completions/_codex', 'completions/codex.fish']),
    );
    expect(spawnSync('tar', ['-xzf', join(dir, filename), '-C', dir]).status).toBe(0);
    // Run from the unpacked copy: completions/ is found relative to the bundle, not to this checkout.
    const run = spawnSync(process.execPath, [join(dir, 'package/dist/cli.js'), 'completion', 'fish'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(read('completions/codex.fish'));
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    const run = await runCli(['completion', 'tcsh']);
    expect(run.exitCode).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/bash, zsh, fish/);
  });
});
