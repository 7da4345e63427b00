import type { Command } from 'commander';

/**
 * The rule that keeps prompt words from turning into options (`codex ask how do I save with curl -o notes.txt`
 * must not write notes.txt): options end at the first prompt word. Everything from there on is the prompt, except
 * a trailing run of long flags that take no value (`--json`, `--reasoning`, …), so that `codex ask "question"
 * --json` keeps working. `--` ends the options explicitly; after it even those flags are words.
 *
 * Returns argv with the trailing flags moved before the prompt and a `--` inserted in front of it, so that
 * commander sees every prompt word as an argument.
 */
export function separatePromptWords(argv: readonly string[], commandIndex: number, command: Command, program: Command): string[] {
  const options = [...command.options, ...program.options];
  const takesValue = new Set<string>();
  const trailingFlags = new Set<string>();
  for (const option of options) {
    const names = [option.short, option.long].filter((name): name is string => name !== undefined);
    if (option.required || option.optional) for (const name of names) takesValue.add(name);
    else if (option.long) trailingFlags.add(option.long);
  }
  for (let i = commandIndex + 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return [...argv];
    if (word.startsWith('-') && word !== '-') {
      // `--model=x` and `-mx` carry their value; `-m x` takes the next word.
      if (!word.includes('=') && takesValue.has(word)) i++;
      continue;
    }
    let end = argv.length;
    while (end > i && trailingFlags.has(argv[end - 1]!)) end--;
    return [...argv.slice(0, i), ...argv.slice(end), '--', ...argv.slice(i, end)];
  }
  return [...argv];
}
