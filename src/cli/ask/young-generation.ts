/** Characters of answer (text and reasoning) after which the young generation stops growing. */
export const CAP_AFTER_CHARACTERS = 1 << 20;

/** Node majors on which the flag is known (V8 prints a flag it does not know on stderr); README "Performance". */
const MEASURED_MAJORS = new Set([20, 22, 24]);
const FLAG = 'semi-space-growth-factor';
/** V8's default, set back once the answer has ended. */
const DEFAULT_FACTOR = 2;

export interface YoungGenerationCap {
  /** Counts `characters` more of the answer; past CAP_AFTER_CHARACTERS the young generation stops growing. */
  grew(characters: number): void;
  /** The answer has ended: V8's default again (a `codex chat` session, or an ask run in a test's process, goes on). */
  release(): void;
}

/**
 * A long answer's peak memory. Streaming an answer makes ≈ 5 bytes of short-lived objects per byte written (the
 * decoded network text, each event's parsed JSON); V8 makes them in its young generation and doubles that space
 * whenever enough of them survive its collections. On Node 24 whether that happens in a run is a coin toss, so the
 * peak RSS of a 100 MB answer was bimodal (81–104 MB text, 175–202 MB `--json`). `--semi-space-growth-factor=1`
 * keeps the young generation at the size it has; V8 reads the flag each time it would grow the space, so setting
 * it at run time works on every Node (unlike `--liftoff-only`, src/cli/exit-tail.ts), and costs no throughput on
 * token-sized deltas (measured on Node 20 and 24).
 * Set only once the answer passes CAP_AFTER_CHARACTERS: changing a flag changes V8's flag hash, so a module loaded
 * after it compiles without its cached code; a short answer never pays that. Left alone when the user set the
 * flag (NODE_OPTIONS or the command line).
 */
export function youngGenerationCap({
  version = process.versions.node,
  // node:v8 is taken when first needed: a static import would load it before every ask's request.
  setFlags = (flags: string) => process.getBuiltinModule('node:v8').setFlagsFromString(flags),
  given = process.execArgv,
}: {
  version?: string;
  setFlags?: (flags: string) => void;
  /** The V8 options the process was given (its command line, NODE_OPTIONS). */
  given?: readonly string[];
} = {}): YoungGenerationCap {
  const usable = MEASURED_MAJORS.has(Number(version.split('.')[0])) && !given.some((option) => option.includes(FLAG));
  let seen = 0;
  let capped = false;
  const set = (factor: number) => {
    try {
      setFlags(`--${FLAG}=${factor}`);
    } catch {
      // Only memory is at stake.
    }
  };
  return {
    grew(characters) {
      if (capped || !usable) return;
      seen += characters;
      if (seen < CAP_AFTER_CHARACTERS) return;
      capped = true;
      set(1);
    },
    release() {
      if (!capped) return;
      capped = false;
      seen = 0;
      set(DEFAULT_FACTOR);
    },
  };
}
