import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FAKE_PNG } from '../fake/server.js';
import { CLI, cliEnv } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake({ fresh: true });
const signedIn = () => configDirWith(fake.issueTokens());
const imageRequests = () => fake.requests.filter((request) => request.path.startsWith('/backend-api/codex/images/'));

describe('codex image', () => {
  it('-o - writes the bytes to a pipe; never to a terminal', async () => {
    const dir = signedIn();
    const piped = await execa(process.execPath, [CLI, 'image', 'icon', '-o', '-'], {
      env: cliEnv({ fake, configDir: dir }),
      extendEnv: false,
      reject: false,
      encoding: 'buffer',
    });
    expect(piped.exitCode).toBe(0);
    expect(Buffer.from(piped.stdout)).toEqual(FAKE_PNG);
    const command = [process.execPath, CLI, 'image', 'icon', '-o', '-'].map((word) => `'${word}'`).join(' ');
    const terminal = await execa('script', ['-qec', command, '/dev/null'], {
      env: { ...cliEnv({ fake, configDir: dir }), TERM: 'xterm' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(terminal.exitCode).toBe(2);
    expect(terminal.stdout).toContain('codex: -o -: not writing image bytes to a terminal; pipe it or give -o FILE');
    expect(imageRequests()).toHaveLength(1);
  });
});
