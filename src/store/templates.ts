import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { EFFORTS } from '../shared/efforts.js';
import { errnoCode } from '../shared/error-info.js';
import { UsageError } from '../shared/errors.js';
import { closestName } from '../shared/suggest.js';
import { modelProblem, oneOf } from '../shared/value-checks.js';
import { writeFileAtomic } from './atomic-write.js';
import { parseJson } from './json-file.js';
import { checkConfigDir, readTrustedFileSync } from './private-files.js';

/** A saved prompt: `<config-dir>/templates/NAME.json` (`{"system","model","effort","fast"}`) or `NAME.md` (the system prompt). */
export interface Template {
  system: string;
  model?: string;
  effort?: string;
  /** Ask for the "Fast" service tier (as `--fast`). */
  fast?: boolean;
}

const TemplateSchema = z.strictObject({
  system: z.string(),
  model: z.optional(z.string()),
  effort: z.optional(z.string()),
  fast: z.optional(z.boolean()),
});

const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const templatesDir = (configDir: string) => join(configDir, 'templates');

export function checkTemplateName(name: string): string {
  if (!TEMPLATE_NAME.test(name)) {
    throw new UsageError(`a template name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, not ${JSON.stringify(name)}`);
  }
  return name;
}

/** Refuses what ask would refuse: an effort outside the known levels (the model is checked against the catalog at ask time). */
export function checkTemplate(template: Template, where: string): Template {
  for (const [key, problem] of [
    ['effort', oneOf(EFFORTS)],
    ['model', modelProblem],
  ] as const) {
    const value = template[key];
    const why = value === undefined ? undefined : problem(value);
    if (why !== undefined) throw new UsageError(`${where}: ${key} ${why}`);
  }
  return template;
}

/** The file a template lives in, when it exists: NAME.json, else NAME.md. */
export function templateFile(configDir: string, name: string): { path: string; text: string } | undefined {
  for (const ext of ['json', 'md']) {
    const path = join(templatesDir(configDir), `${checkTemplateName(name)}.${ext}`);
    const text = readTrustedFileSync(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** Parses a template file's text (JSON or, for .md, the system prompt itself). */
export function parseTemplate(path: string, text: string): Template {
  if (path.endsWith('.md')) return { system: text };
  const template = parseJson(
    text,
    TemplateSchema,
    (problem) =>
      new UsageError(problem.kind === 'not_json' ? `${path} is not valid JSON` : `${path} must be {"system": TEXT, "model"?: SLUG, "effort"?: LEVEL, "fast"?: BOOLEAN}`),
  );
  return checkTemplate(template, path);
}

/** The saved template NAME; an unknown name is a usage error with a suggestion. */
export async function loadTemplate(configDir: string, name: string): Promise<Template> {
  const found = templateFile(configDir, name);
  if (found === undefined) {
    const close = closestName(name, await listTemplates(configDir));
    throw new UsageError(`no template ${JSON.stringify(name)}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}; \`codex template list\` shows them`);
  }
  return parseTemplate(found.path, found.text);
}

/** Template names, sorted. */
export async function listTemplates(configDir: string): Promise<string[]> {
  const dir = templatesDir(configDir);
  if (checkConfigDir(configDir) === 'missing' || checkConfigDir(dir) === 'missing') return [];
  const names = (await readdir(dir)).flatMap((file) => {
    const match = /^(.+)\.(json|md)$/.exec(file);
    return match && TEMPLATE_NAME.test(match[1]!) ? [match[1]!] : [];
  });
  return [...new Set(names)].sort();
}

/** Creates `<config-dir>/templates` (0700) when needed and returns it. */
export async function ensureTemplatesDir(configDir: string): Promise<string> {
  const dir = templatesDir(configDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  checkConfigDir(configDir, { tighten: true });
  checkConfigDir(dir, { tighten: true });
  return dir;
}

/** Saves NAME.json atomically (0600); a NAME.md beside it is removed, so that one file holds the template. */
export async function saveTemplate(configDir: string, name: string, template: Template): Promise<void> {
  const dir = await ensureTemplatesDir(configDir);
  await writeFileAtomic(join(dir, `${checkTemplateName(name)}.json`), `${JSON.stringify(checkTemplate(template, name), null, 2)}\n`, 0o600);
  await unlink(join(dir, `${name}.md`)).catch(() => undefined);
}

/** Removes template NAME; false when there was none. */
export async function removeTemplate(configDir: string, name: string): Promise<boolean> {
  let removed = false;
  for (const ext of ['json', 'md']) {
    try {
      await unlink(join(templatesDir(configDir), `${checkTemplateName(name)}.${ext}`));
      removed = true;
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT' && errnoCode(error) !== 'ENOTDIR') throw error;
    }
  }
  return removed;
}
