import { SETTINGS, type Setting } from './settings.js';

const TABLE: readonly Setting[] = SETTINGS;

// The settings table in words: `codex config --help`, and the README and man page tables (scripts/docgen.ts).

/** The key as `codex config` takes it: the aliases object is set one `alias.NAME` at a time. */
const keyName = (setting: Setting) => (setting.type === 'aliases' ? 'alias.NAME' : setting.key);

const defaultOf = (setting: Setting) => setting.defaultText ?? setting.default;

/** `env CODEX_MODEL, flag -m; default: …` */
function whence(setting: Setting): string {
  const given = [setting.env && `env ${setting.env}`, setting.flag && `flag ${setting.flag}`].filter(Boolean).join(', ');
  const fallback = defaultOf(setting);
  return [given, fallback && `default: ${fallback}`].filter(Boolean).join('; ');
}

export function settingsHelp(): string {
  const width = Math.max(...TABLE.map((setting) => keyName(setting).length)) + 4;
  return TABLE.map((setting) => {
    const more = whence(setting);
    return `  ${keyName(setting).padEnd(width - 2)}${setting.description}\n${more ? `${' '.repeat(width)}${more}\n` : ''}`;
  }).join('');
}

const code = (text: string | undefined) => (text ? `\`${text}\`` : '');

export function settingsMarkdown(): string {
  const rows = TABLE.map((setting) => {
    const fallback = setting.default !== undefined ? code(setting.default) : (setting.defaultText ?? '');
    return `| ${code(keyName(setting))} | ${code(setting.env)} | ${code(setting.flag)} | ${fallback} | ${setting.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| key | env | flag | default | what it sets |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** roff-escaped by the caller's `escape` (docgen's roffText). */
export function settingsRoff(roff: (text: string) => string): string {
  return TABLE.map((setting) => {
    const more = whence(setting);
    return `.TP\n.B ${roff(keyName(setting))}\n${roff(`${setting.description}${more ? ` (${more})` : ''}.`)}`;
  }).join('\n');
}
