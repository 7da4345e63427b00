/**
 * A config dir someone else controls (issue 13, item 3). Like ssh with ~/.ssh: the dir and its files must belong
 * to the user (or root) and not be writable by group or others, else the store and config.json are refused (exit
 * 3) before anything is read from them or sent anywhere; auth.json is read only when it is a regular file; a dir
 * of our own is tightened to 0700 when we write into it.
 *
 * "Another user": as root, files are chowned to uid 65534 (no account needs to exist for that); as any other
 * user those rows are skipped, and the mode rows (which need no second user) still run.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lchownSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeCodex } from '../fake/server.js';
import { expectNoSecrets, runCli, runInProcess } from '../support/cli.js';
import { startFake } from '../support/fake.js';
import { tempDir } from '../support/temp.js';
import { authNow, checkOutcome, type Expected, runScenario, type World, world } from '../support/world.js';

const isRoot = process.getuid?.() === 0;
const OTHER_UID = 65534;

interface Row {
  name: string;
  root?: boolean;
  /** Sets the scene; `attacker` is a second fake that must receive nothing. */
  arrange: (w: World, attacker: FakeCodex, victimFile: string) => void;
  command?: (w: World) => string[];
  expected: (w: World) => Expected;
  check?: (w: World, victimFile: string) => void;
  /** Run in a process of its own: a regression would block on the FIFO, and in-process it would block every test. */
  spawn?: boolean;
}

const configJson = (w: World, attacker: FakeCodex) =>
  writeFileSync(join(w.dir, 'config.json'), JSON.stringify({ base_url: attacker.baseUrl, issuer: attacker.issuer }), { mode: 0o600 });

const rows: Row[] = [
  {
    name: 'config dir writable by others (0777) with a planted config.json',
    arrange: (w, attacker) => {
      configJson(w, attacker);
      chmodSync(w.dir, 0o777);
    },
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir} is writable by others \\(mode 0777\\); codex will not use it until you run \`chmod 700 ${w.dir}\`$`) }),
  },
  {
    name: 'config dir writable by its group (0770)',
    arrange: (w) => void chmodSync(w.dir, 0o770),
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir} is writable by others \\(mode 0770\\)`) }),
  },
  {
    name: 'config.json writable by others (0666)',
    arrange: (w, attacker) => {
      configJson(w, attacker);
      chmodSync(join(w.dir, 'config.json'), 0o666);
    },
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir}/config\\.json is writable by others \\(mode 0666\\); codex will not use it until you run \`chmod 600`) }),
  },
  {
    name: 'auth.json writable by others (0622)',
    arrange: (w) => void chmodSync(join(w.dir, 'auth.json'), 0o622),
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir}/auth\\.json is writable by others \\(mode 0622\\)`) }),
  },
  {
    name: 'auth.json is a FIFO: status does not hang',
    arrange: (w) => {
      rmSync(join(w.dir, 'auth.json'));
      execFileSync('mkfifo', [join(w.dir, 'auth.json')]);
    },
    command: () => ['status'],
    spawn: true,
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir}/auth\\.json is a FIFO, not a regular file; codex will not read it$`) }),
    check: (w) => expect(statSync(join(w.dir, 'auth.json')).isFIFO()).toBe(true),
  },
  {
    name: 'a symlink planted in a dir others can write: login --import does not overwrite its target',
    arrange: (w, _attacker, victim) => {
      rmSync(join(w.dir, 'auth.json'));
      symlinkSync(victim, join(w.dir, 'auth.json'));
      chmodSync(w.dir, 0o777);
    },
    command: (w) => ['login', '--import', join(w.dir, '..', `${w.dir.split('/').at(-1)}-official.json`)],
    // login refuses a config dir it cannot trust before it touches the store.
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir} is writable by others`) }),
    check: (_w, victim) => expect(readFileSync(victim, 'utf8')).toBe('# my bashrc\n'),
  },
  {
    name: 'config dir owned by another user (root)',
    root: true,
    arrange: (w, attacker) => {
      configJson(w, attacker);
      chownSync(w.dir, OTHER_UID, OTHER_UID);
    },
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir} belongs to another user \\(uid ${OTHER_UID}\\); codex will not use it$`) }),
  },
  {
    name: 'config.json owned by another user (root)',
    root: true,
    arrange: (w, attacker) => {
      configJson(w, attacker);
      chownSync(join(w.dir, 'config.json'), OTHER_UID, OTHER_UID);
    },
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir}/config\\.json belongs to another user`) }),
  },
  {
    name: 'a symlink at auth.json owned by another user (root): not written through',
    root: true,
    arrange: (w, _attacker, victim) => {
      rmSync(join(w.dir, 'auth.json'));
      symlinkSync(victim, join(w.dir, 'auth.json'));
      lchownSync(join(w.dir, 'auth.json'), OTHER_UID, OTHER_UID);
    },
    command: (w) => ['login', '--import', join(w.dir, '..', `${w.dir.split('/').at(-1)}-official.json`)],
    expected: (w) => ({ exit: 3, error: new RegExp(`^${w.dir}/auth\\.json belongs to another user`) }),
    check: (_w, victim) => expect(readFileSync(victim, 'utf8')).toBe('# my bashrc\n'),
  },
];

describe('a config dir others control', () => {
  it.concurrent.each(rows.filter((row) => !row.root || isRoot))('$name', async (row) => {
    const w = await world(-60);
    const attacker = await startFake();
    const victim = join(tempDir('codex-victim-'), 'bashrc');
    const official = join(w.dir, '..', `${w.dir.split('/').at(-1)}-official.json`);
    writeFileSync(victim, '# my bashrc\n');
    writeFileSync(
      official,
      JSON.stringify({
        auth_mode: 'chatgpt',
        tokens: { access_token: w.tokens.access_token, refresh_token: w.tokens.refresh_token, id_token: w.tokens.id_token, account_id: w.tokens.account_id },
      }),
    );
    try {
      row.arrange(w, attacker, victim);
      const before = existsSync(join(w.dir, 'auth.json')) && statSync(join(w.dir, 'auth.json')).isFile() ? authNow(w) : undefined;
      // Not runScenario: its secrets scan reads auth.json, which would block on the FIFO.
      const run = await (row.spawn ? runCli : runInProcess)(row.command?.(w) ?? ['ask', 'q'], { fake: w.fake, configDir: w.dir });
      checkOutcome(run, row.expected(w), false);
      expectNoSecrets(run.stdout + run.stderr, [w.tokens.access_token, w.tokens.refresh_token, w.tokens.id_token]);
      expect(attacker.requests).toEqual([]);
      expect(w.fake.refreshRequests).toEqual([]);
      if (before !== undefined) expect(authNow(w)).toBe(before);
      row.check?.(w, victim);
    } finally {
      await Promise.all([w.close(), attacker.close()]);
      rmSync(official, { force: true });
    }
  });

  it('a dir of our own that others may read (0755) is made 0700 when a refresh writes into it', async () => {
    const w = await world(-60);
    try {
      chmodSync(w.dir, 0o755);
      await runScenario(w, ['ask', 'q'], { exit: 0, stdout: 'You said: q\n' }, false);
      expect(statSync(w.dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(w.dir, 'auth.json')).mode & 0o777).toBe(0o600);
    } finally {
      await w.close();
    }
  });

  it('a corrupt auth.json at 0644 is tightened to 0600 (with a warning) and left as is', async () => {
    const w = await world();
    try {
      writeFileSync(join(w.dir, 'auth.json'), '{not json', { mode: 0o644 });
      chmodSync(join(w.dir, 'auth.json'), 0o644);
      await runScenario(w, ['ask', 'q'], { exit: 3, warnings: [/was readable by others; its mode is now 0600$/], error: /is not valid JSON/ }, false);
      expect(statSync(join(w.dir, 'auth.json')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(w.dir, 'auth.json'), 'utf8')).toBe('{not json');
    } finally {
      await w.close();
    }
  });
});
