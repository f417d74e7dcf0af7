/** The help texts: the overview, a group's commands, one command's options. */
import type { Command } from './command.ts';
import { EXIT } from './errors.ts';

export const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ['--url URL', 'Squall server (SQUALL_URL, ST2_API_URL; default http://127.0.0.1:9101)'],
  ['--api-key KEY', 'API key (SQUALL_API_KEY, ST2_API_KEY)'],
  ['--token TOKEN', 'auth token (ST2_AUTH_TOKEN; or the one `squall login` saved)'],
  ['--config FILE', 'config file (default $XDG_CONFIG_HOME/squall/config.yaml)'],
  ['-j, --json', 'JSON output for scripts'],
  ['-y, --yaml', 'YAML output for scripts'],
  ['--no-color', 'no colours (also NO_COLOR=1)'],
  ['-h, --help', 'help'],
];

function options(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}\n`).join('');
}

export function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'completion bash|zsh'.length);
  const line = (name: string, summary: string): string => `  squall ${name.padEnd(width)}  ${summary}\n`;
  return (
    'Usage: squall COMMAND [options]\n\nServer:\n' +
    line('serve', 'run the Squall server (squall serve --help for its options)') +
    line('gc', 'delete executions and output past their retention, once') +
    line('user add NAME', 'add a user or set their password (read from stdin); --role ROLE') +
    '\nClient (talks to a server over HTTP):\n' +
    commands.map((c) => line(c.name, c.summary)).join('') +
    line('completion bash|zsh', 'print a shell completion script') +
    '\nOptions of every client command:\n' +
    options(GLOBAL_HELP) +
    `\nExit codes: ${EXIT.ok} succeeded, ${EXIT.failed} failed, ${EXIT.usage} bad command line, ` +
    `${EXIT.timeout} timeout, ${EXIT.canceled} canceled,\n` +
    `  ${EXIT.abandoned} abandoned, ${EXIT.incomplete} paused/pending/not finished, ` +
    `${EXIT.error} request refused or server unreachable.\n`
  );
}

export function groupHelp(group: string, commands: readonly Command[]): string {
  const mine = commands.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...mine.map((c) => c.name.length));
  return (
    `Usage: squall ${group} COMMAND [options]\n\n` +
    mine.map((c) => `  squall ${c.name.padEnd(width)}  ${c.summary}\n`).join('') +
    `\nsquall ${group} COMMAND --help shows a command's options.\n`
  );
}

export function commandHelp(command: Command): string {
  return (
    `Usage: squall ${command.name}${command.args ? ` ${command.args}` : ''} [options]\n\n${command.summary}\n` +
    (command.optionHelp?.length ? `\nOptions:\n${options(command.optionHelp)}` : '') +
    `\nGlobal options:\n${options(GLOBAL_HELP)}`
  );
}
