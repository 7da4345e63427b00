import { spawn } from 'node:child_process';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as z from 'zod/mini';
import type { Tool, ToolOutput } from '../../client/tool-loop.js';
import { errnoCode, errnoOrMessage } from '../../shared/error-info.js';
import { UsageError } from '../../shared/errors.js';
import { readJsonFile } from '../../store/json-file.js';
import { readInputFile } from '../io/read-input.js';

/** Tool output beyond this is cut (and the model is told so): a runaway tool must not flood the context. */
export const MAX_TOOL_OUTPUT_BYTES = 64 * 1024;
const STDERR_TAIL_BYTES = 2048;
const DEFAULT_TOOL_TIMEOUT_S = 60;
/** How long output is still read after the tool has exited (or was killed) before the result is taken as is. */
const EXIT_GRACE_MS = 1000;

const COMMAND_HINT = 'a non-empty array of strings, e.g. ["./tool.sh"]';

export const ToolFileSchema = z.object({
  name: z.string({ error: 'a string is needed' }).check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)')),
  description: z.optional(z.string()),
  parameters: z.optional(z.record(z.string(), z.unknown(), { error: 'a JSON Schema object is needed' })),
  command: z.array(z.string(), { error: COMMAND_HINT }).check(z.minLength(1, COMMAND_HINT)),
  timeout_s: z.optional(z.number().check(z.positive('a number of seconds greater than 0'))),
});
export type ToolFile = z.infer<typeof ToolFileSchema>;

export async function loadToolFile(path: string, env: NodeJS.ProcessEnv): Promise<Tool> {
  const spec = await readJsonFile(path, ToolFileSchema, {
    read: readInputFile,
    errorFor: (problem) => {
      if (problem.kind === 'unreadable') return new UsageError(`--tool: cannot read ${path} (${errnoCode(problem.error) ?? 'error'})`);
      if (problem.kind === 'not_json') return new UsageError(`--tool: ${path} is not valid JSON`);
      const where = problem.issue?.path.length ? `${problem.issue.path.join('.')}: ` : '';
      return new UsageError(`--tool: ${path}: ${where}${problem.issue?.message ?? 'not a tool definition'}`);
    },
  });
  return commandTool(spec, dirname(resolve(path)), env);
}

/** Wraps a tool file's command as a Tool: arguments as JSON on stdin, stdout is the output; `env` is the run's. */
export function commandTool(spec: ToolFile, baseDir: string, env: NodeJS.ProcessEnv): Tool {
  const [program, ...args] = spec.command as [string, ...string[]];
  const executable = program.includes('/') && !isAbsolute(program) ? resolve(baseDir, program) : program;
  const timeoutMs = (spec.timeout_s ?? DEFAULT_TOOL_TIMEOUT_S) * 1000;
  return {
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    parameters: spec.parameters ?? { type: 'object', properties: {} },
    run: (input, { callId, signal }) => runCommand(executable, args, JSON.stringify(input), { name: spec.name, callId, timeoutMs, signal, env }),
  };
}

/** Variables that hold credentials never reach a tool: its output goes to the model and to stdout. */
const CREDENTIAL_VARIABLES = ['CODEX_AUTH_JSON', 'CODEX_ACCESS_TOKEN', 'CODEX_CREDENTIAL_STORE', 'CODEX_SERVE_API_KEY'];

export function toolEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of CREDENTIAL_VARIABLES) delete clean[name];
  return clean;
}

/** One abort listener per signal, however many tools run under it (no MaxListenersExceededWarning). */
const killersBySignal = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal | undefined, kill: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    kill();
    return () => undefined;
  }
  let killers = killersBySignal.get(signal);
  if (!killers) {
    const all = new Set<() => void>();
    killers = all;
    killersBySignal.set(signal, all);
    signal.addEventListener(
      'abort',
      () => {
        for (const k of all) k();
      },
      { once: true },
    );
  }
  const set = killers;
  set.add(kill);
  return () => set.delete(kill);
}

function killGroupOf(child: ReturnType<typeof spawn>): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function runCommand(
  executable: string,
  args: string[],
  stdin: string,
  options: { name: string; callId: string; timeoutMs: number; signal?: AbortSignal; env: NodeJS.ProcessEnv },
): Promise<ToolOutput> {
  return new Promise((resolvePromise) => {
    let timer: NodeJS.Timeout | undefined;
    let stopWatching: () => void = () => undefined;
    let settled = false;
    const finish = (result: ToolOutput) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopWatching();
      resolvePromise(result);
    };
    // Its own process group, so a timeout or Ctrl-C also ends whatever the tool started.
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(executable, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        env: { ...toolEnvironment(options.env), CODEX_TOOL_NAME: options.name, CODEX_TOOL_CALL_ID: options.callId },
      });
    } catch (error) {
      // Out of file descriptors or processes (EMFILE, EAGAIN): an error output for the model, not a crash.
      return resolvePromise({ output: `the tool could not be started: ${errnoOrMessage(error)} (${executable})`, isError: true });
    }
    // First of all, so a failed start is an error output, never an uncaught 'error' event.
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ output: `the tool could not be started: ${error.code ?? error.message} (${executable})`, isError: true });
    });
    if (!child.stdout || !child.stderr || !child.stdin) {
      killGroupOf(child);
      return resolvePromise({ output: `the tool could not be started (${executable})`, isError: true });
    }
    const { stdout, stderr: childStderr, stdin: childStdin } = child;
    const out: Buffer[] = [];
    let outBytes = 0;
    let truncated = false;
    let errTail = Buffer.alloc(0);
    let timedOut = false;
    const killGroup = () => killGroupOf(child);
    timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    stopWatching = onAbort(options.signal, killGroup);

    stdout.on('data', (chunk: Buffer) => {
      if (outBytes >= MAX_TOOL_OUTPUT_BYTES) {
        truncated = true;
        return;
      }
      const room = MAX_TOOL_OUTPUT_BYTES - outBytes;
      if (chunk.length > room) truncated = true;
      const kept = chunk.subarray(0, room);
      out.push(kept);
      outBytes += kept.length;
    });
    childStderr.on('data', (chunk: Buffer) => {
      errTail = Buffer.concat([errTail, chunk]).subarray(-STDERR_TAIL_BYTES);
    });
    childStdin.on('error', () => undefined); // a tool that ignores its stdin may close it early
    childStdin.end(stdin);

    // When the tool itself exits, whatever it left running in its group goes too; a process that escaped the
    // group (setsid) and still holds stdout is not waited for beyond a short grace period.
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let grace: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      killGroup();
      grace = setTimeout(() => {
        stdout.destroy();
        childStderr.destroy();
        report(code, signal);
      }, EXIT_GRACE_MS);
    });
    child.on('close', (code, signal) => {
      clearTimeout(grace);
      report(exited?.code ?? code, exited?.signal ?? signal);
    });
    const report = (code: number | null, signal: NodeJS.Signals | null) => {
      let output = Buffer.concat(out).toString('utf8');
      if (truncated) output += `\n[output cut at ${MAX_TOOL_OUTPUT_BYTES / 1024} KiB]`;
      const stderr = errTail.toString('utf8').trim();
      if (timedOut) return finish({ output: `the tool timed out after ${options.timeoutMs / 1000} s${stderr ? `\n${stderr}` : ''}`, isError: true });
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
        return finish({ output: `the tool ${how}${stderr ? `\n${stderr}` : ''}${output ? `\n${output}` : ''}`, isError: true });
      }
      finish({ output });
    };
  });
}
