/** What every command gets, and how a command declares its options. */
import type { ParseArgsConfig } from 'node:util';
import type { Output } from './format/output.ts';
import type { ApiClient } from './http.ts';
import type { Settings } from './settings.ts';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Context {
  api: ApiClient;
  out: Output;
  settings: Settings;
  /**
   * Reads one line of standard input, prompting on a terminal; `secret` (a password for `squall
   * login`) keeps a terminal from echoing what is typed.
   */
  readLine(prompt: string, options?: { secret?: boolean }): Promise<string>;
}

export interface Parsed {
  values: Values;
  positionals: string[];
}

export interface Command {
  /** Words after `squall`: "run", "execution list", … */
  name: string;
  args: string;
  summary: string;
  options: OptionsConfig;
  /** Option lines for --help: flag and what it does. */
  optionHelp?: readonly (readonly [string, string])[];
  run(ctx: Context, parsed: Parsed): Promise<number>;
}

export const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

export const flag = (values: Values, name: string): boolean => values[name] === true;

export const list = (values: Values, name: string): string[] => {
  const v = values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return raw
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
};
