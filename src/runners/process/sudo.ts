/** How StackStorm's local runners wrap a command in sudo (spec §7.1). */

/** `-E` keeps the caller's environment (the action's `env` and `ST2_ACTION_*`) across sudo. */
export function sudoArgv(command: string, hasPassword: boolean): string[] {
  return hasPassword ? ['-S', '-E', '--', 'bash', '-c', command] : ['-E', '--', 'bash', '-c', command];
}

const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** Quotes one word for a POSIX shell, leaving words that need no quoting as they are. */
export function shellQuote(word: string): string {
  if (word.length === 0) return "''";
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}
