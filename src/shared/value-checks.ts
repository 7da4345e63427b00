// Checks of a setting's value as a string: each returns why it may not be used ("must be …"), or undefined when it
// may. The settings table (config/settings.ts) and the template files (store/templates.ts) share them.

export type Problem = (value: string) => string | undefined;

export const oneOf =
  (values: readonly string[]): Problem =>
  (value) =>
    values.includes(value) ? undefined : `must be one of ${values.join(', ')}, not ${JSON.stringify(value)}`;

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

export const modelProblem: Problem = (value) => (SLUG.test(value) ? undefined : `must be a model slug or alias, not ${JSON.stringify(value)}`);
