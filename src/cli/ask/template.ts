import { templateLabel } from '../../config/settings.js';
import { loadTemplate } from '../../store/templates.js';
import type { AskOptions } from '../commands/ask.js';

/** ask's options with template NAME's system prompt, model, effort and fast tier filled in where no flag gave them. */
export async function withTemplate(configDir: string, options: AskOptions): Promise<AskOptions> {
  const name = options.template!;
  const template = await loadTemplate(configDir, name);
  const systemGiven = options.system !== undefined || options.systemFile !== undefined;
  return {
    ...options,
    ...(systemGiven ? {} : { system: template.system }),
    ...(options.model === undefined && template.model !== undefined ? { model: template.model, modelFrom: templateLabel('model', name) } : {}),
    ...(options.effort === undefined && template.effort !== undefined ? { effort: template.effort, effortFrom: templateLabel('effort', name) } : {}),
    ...(options.fast === undefined && template.fast !== undefined ? { fast: template.fast, fastFrom: templateLabel('fast', name) } : {}),
  };
}
