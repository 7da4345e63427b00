// `codex` for a bash script that runs each call in this process (runInProcess) instead of starting the binary: a
// shell function that sends its arguments, working directory and environment over a loopback socket and returns
// the exit code it gets back. The run reads and writes the function's own stdin, stdout and stderr (opened through
// /proc/PID/fd, so pipes, `< file` and `> file` are the shell's), as a process of its own would.

import { once } from 'node:events';
import { createReadStream, createWriteStream, openSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { runInProcess } from './cli.js';

export interface InProcessShell {
  /** Bash source defining the `codex` function: put it before the script. */
  prelude: string;
  /** How many calls it ran. */
  calls: number;
  /** Calls that could not run (their streams could not be opened, or the run threw): exit 70 to the shell. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Reads NUL-terminated fields: the shell's pid, the fds of its stdin, stdout and stderr, the working directory, the
 * argument count, the arguments, then NAME=VALUE entries up to an empty one.
 */
function parseRequest(bytes: Buffer): { fds: string[]; cwd: string; args: string[]; env: Record<string, string> } | undefined {
  const fields = bytes.toString('utf8').split('\0');
  if (fields.length < 7) return undefined;
  const [pid, stdin, stdout, stderr, cwd, count] = fields as [string, string, string, string, string, string];
  const args = fields.slice(6, 6 + Number(count));
  const rest = fields.slice(6 + Number(count));
  const end = rest.indexOf('');
  // The last field is what follows the last NUL: the request is whole once an empty entry stands before it.
  if (end === -1 || end === rest.length - 1) return undefined;
  const env: Record<string, string> = {};
  for (const entry of rest.slice(0, end)) {
    const at = entry.indexOf('=');
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return { fds: [stdin, stdout, stderr].map((fd) => `/proc/${pid}/fd/${fd}`), cwd, args, env };
}

async function closeStream(stream: Readable | Writable): Promise<void> {
  if ('end' in stream && typeof stream.end === 'function' && !stream.destroyed) {
    const closed = once(stream, 'close');
    stream.end();
    await closed;
  } else stream.destroy();
}

export async function inProcessShell(): Promise<InProcessShell> {
  const shell: InProcessShell = { prelude: '', calls: 0, errors: [], close: async () => {} };
  const sockets = new Set<Socket>();
  const serve = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let bytes = Buffer.alloc(0);
    let started = false;
    socket.on('data', async (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      const request = started ? undefined : parseRequest(bytes);
      if (!request) return;
      started = true;
      shell.calls++;
      let code = 70;
      try {
        // Opened here, not lazily by the streams, so that a failure is this call's and not an uncaught error.
        const stdin = createReadStream('', { fd: openSync(request.fds[0]!, 'r') });
        const stdout = createWriteStream('', { fd: openSync(request.fds[1]!, 'a') });
        const stderr = createWriteStream('', { fd: openSync(request.fds[2]!, 'a') });
        try {
          const run = await runInProcess(request.args, {
            env: request.env,
            configDir: request.env.CODEX_CONFIG_DIR!,
            cwd: request.cwd,
            stdio: { stdin, stdout, stderr },
          });
          code = run.exitCode;
        } finally {
          stdin.destroy();
          await Promise.all([closeStream(stdout), closeStream(stderr)]);
        }
      } catch (error) {
        shell.errors.push(`codex ${request.args.join(' ')}: ${String(error)}`);
      }
      socket.end(`${code}\n`);
    });
  };
  const server: Server = createServer(serve);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  shell.prelude = [
    // A socket cannot be opened again through /proc (node gives a child socket pairs, not pipes): the script's
    // own stdin, stdout and stderr become pipes through cat when they are sockets.
    'if [ -S /dev/stdin ]; then exec < <(cat); fi',
    'if [ -S /dev/stdout ]; then exec > >(cat); fi',
    'if [ -S /dev/stderr ]; then exec 2> >(cat >&2); fi',
    'codex() {',
    // Copies of its stdin, stdout and stderr that no redirection below touches: the run opens these.
    '  local fd code in out err',
    '  exec {in}<&0 {out}>&1 {err}>&2',
    `  exec {fd}<>/dev/tcp/127.0.0.1/${port}`,
    `  printf '%s\\0' "$BASHPID" "$in" "$out" "$err" "$PWD" "$#" "$@" >&"$fd"`,
    `  env -0 >&"$fd"`,
    `  printf '\\0' >&"$fd"`,
    '  read -r -u "$fd" code',
    '  exec {fd}>&- {in}<&- {out}>&- {err}>&-',
    '  return "$code"',
    '}',
    '',
  ].join('\n');
  shell.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => server.close(done));
  };
  return shell;
}
