import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { configDirFor, resolveModelAlias } from '../../config/resolve.js';
import { UsageError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import {
  checkTemplateName,
  ensureTemplatesDir,
  listTemplates,
  loadTemplate,
  parseTemplate,
  removeTemplate,
  saveTemplate,
  type Template,
  templateFile,
} from '../../store/templates.js';
import type { CliContext } from '../context.js';

export interface TemplateOptions {
  system?: string;
  model?: string;
  effort?: string;
  fast?: boolean;
}

export async function runTemplate(ctx: CliContext, action: string, name: string | undefined, options: TemplateOptions): Promise<void> {
  const configDir = configDirFor(ctx.globals, ctx.env);
  const given = options.system !== undefined || options.model !== undefined || options.effort !== undefined || options.fast !== undefined;
  if (given && action !== 'set') throw new UsageError('--system, -m, -e and --fast go with `codex template set` only');
  if (action === 'list') {
    if (name !== undefined) throw new UsageError('usage: codex template list');
    ctx.stdout.write((await listTemplates(configDir)).map((entry) => `${entry}\n`).join(''));
    return;
  }
  if (name === undefined) throw new UsageError(`usage: codex template ${action} NAME`);
  checkTemplateName(name);
  switch (action) {
    case 'show':
      ctx.stdout.write(`${JSON.stringify(await loadTemplate(configDir, name), null, 2)}\n`);
      return;
    case 'set': {
      if (options.system === undefined) throw new UsageError('codex template set NAME needs --system TEXT');
      if (options.model) {
        const { checkModelChoice } = await import('../ask/model-check.js');
        const { readConfigObject } = await import('../../store/config-file.js');
        const aliases = (readConfigObject(configDir).aliases ?? {}) as Record<string, string>;
        await checkModelChoice(ctx, resolveModelAlias(options.model, { aliases }), 'template set -m');
      }
      const template: Template = {
        system: options.system,
        ...(options.model ? { model: options.model } : {}),
        ...(options.effort ? { effort: options.effort } : {}),
        ...(options.fast ? { fast: true } : {}),
      };
      await saveTemplate(configDir, name, template);
      return;
    }
    case 'rm':
      if (!(await removeTemplate(configDir, name))) throw new UsageError(`no template ${JSON.stringify(name)}`);
      return;
    case 'edit':
      await edit(ctx, configDir, name);
      return;
  }
}

/** Opens NAME.json (or an existing NAME.md) in $VISUAL / $EDITOR, then checks what was saved. */
async function edit(ctx: CliContext, configDir: string, name: string): Promise<void> {
  const editor = ctx.env.VISUAL || ctx.env.EDITOR;
  if (!editor) throw new UsageError('set VISUAL or EDITOR to edit a template, or use `codex template set NAME --system TEXT`');
  let path = templateFile(configDir, name)?.path;
  if (path === undefined) {
    path = join(await ensureTemplatesDir(configDir), `${name}.json`);
    await writeFileAtomic(path, `${JSON.stringify({ system: '' }, null, 2)}\n`, 0o600);
  }
  // As git does: the editor variable is a shell command, the file its argument.
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `${editor} "$1"`, 'sh', path], { stdio: 'inherit', env: ctx.env as NodeJS.ProcessEnv });
    child.on('error', reject);
    child.on('exit', (status) => resolve(status));
  });
  if (code !== 0) throw new UsageError(`the editor (${editor}) exited with ${code ?? 'a signal'}; ${path} is left as it is`);
  const found = templateFile(configDir, name);
  if (found === undefined) throw new UsageError(`${path} is gone after editing`);
  parseTemplate(found.path, found.text);
}
