/**
 * The client side of the `squall` command: finds the command in argv, parses its options, resolves
 * settings from flags, environment and config file (the only place the CLI reads them), runs it
 * and turns what it ends with into an exit code and one line on stderr.
 */
import { parseArgs } from 'node:util';
import type { Command, Context, OptionsConfig } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { bashCompletion, zshCompletion } from './completion.ts';
import { ApiError, EXIT, UsageError } from './errors.ts';
import { Output, type Format, type TextSink } from './format/output.ts';
import { commandHelp, groupHelp, overview } from './help.ts';
import { ApiClient, type FetchLike } from './http.ts';
import { resolveSettings, type Env, type Settings } from './settings.ts';

export interface CliIo {
  env: Env;
  stdout: TextSink & { isTTY?: boolean; columns?: number };
  stderr: TextSink & { isTTY?: boolean };
  stdin: AsyncIterable<Buffer | string>;
  stdinIsTTY?: boolean;
  /** Switches a terminal on stdin to raw mode (no echo, no line editing) and back. */
  setRawMode?: (raw: boolean) => void;
  now?: () => number;
  fetch?: FetchLike;
}

const GLOBAL_OPTIONS: OptionsConfig = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean', short: 'j' },
  yaml: { type: 'boolean', short: 'y' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const GROUPS = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] ?? ''));

/** The command the leading words name: `execution list` before `execution`. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/** Global options may come before the command (`squall --url U execution list`): set them aside. */
function leadingOptions(argv: readonly string[]): { leading: string[]; words: string[] } {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] ?? '').startsWith('-') && argv[i] !== '--') {
    const token = argv[i] ?? '';
    leading.push(token);
    const name = token.replace(/^--?/, '');
    const spec = GLOBAL_OPTIONS[name] ?? Object.values(GLOBAL_OPTIONS).find((o) => o.short === name);
    if (spec?.type === 'string' && !token.includes('=') && i + 1 < argv.length) leading.push(argv[++i] ?? '');
    i++;
  }
  return { leading, words: argv.slice(i) };
}

/** `-n -1` as st2 users type it: a negative number after an option that takes a value is its value. */
function joinNegativeValues(args: readonly string[], options: OptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? '';
    const next = args[i + 1];
    const name = token.startsWith('--') ? token.slice(2) : token.length === 2 ? token.slice(1) : undefined;
    const spec =
      name === undefined
        ? undefined
        : (options[name] ?? Object.values(options).find((o) => o.short === name));
    if (token.startsWith('-') && spec?.type === 'string' && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${token}${token.startsWith('--') ? '=' : ''}${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

export async function runCli(argvIn: readonly string[], io: CliIo): Promise<number> {
  const { leading, words: argv } = leadingOptions(argvIn);
  const print = (text: string): number => {
    io.stdout.write(text);
    return EXIT.ok;
  };
  const fail = (message: string, code: number): number => {
    io.stderr.write(`squall: ${message}\n`);
    return code;
  };
  const [first = 'help', second] = argv;
  if (first === 'help' || leading.includes('--help') || leading.includes('-h') || argv.length === 0)
    return print(overview(COMMANDS));
  if (first === 'completion') {
    if (second === 'bash') return print(bashCompletion(COMMANDS));
    if (second === 'zsh') return print(zshCompletion(COMMANDS));
    return fail('usage: squall completion bash|zsh', EXIT.usage);
  }
  const found = findCommand(argv);
  if (!found) {
    if (GROUPS.has(first)) {
      if (second === undefined || second === '--help' || second === '-h')
        return print(groupHelp(first, COMMANDS));
      return fail(`unknown command "${first} ${second}"\n\n${groupHelp(first, COMMANDS)}`, EXIT.usage);
    }
    return fail(`unknown command "${first}"; run "squall help" for the list`, EXIT.usage);
  }
  const { command } = found;
  const rest = [...leading, ...found.rest];
  let settings: Settings | undefined;
  try {
    let parsed;
    try {
      const options = { ...GLOBAL_OPTIONS, ...command.options };
      parsed = parseArgs({
        args: joinNegativeValues(rest, options),
        options,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
    if (values['help'] === true) return print(commandHelp(command));
    const str = (name: string): string | undefined =>
      typeof values[name] === 'string' ? (values[name] as string) : undefined;
    const now = io.now ?? Date.now;
    settings = resolveSettings(
      { url: str('url'), apiKey: str('api-key'), token: str('token'), config: str('config') },
      io.env,
      now(),
    );
    const format: Format = values['json'] === true ? 'json' : values['yaml'] === true ? 'yaml' : 'human';
    const env = io.env;
    const dumb = env['TERM'] === 'dumb';
    const forced =
      env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '' && env['FORCE_COLOR'] !== '0';
    const colour =
      values['no-color'] !== true &&
      (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '') &&
      (forced || (io.stdout.isTTY === true && !dumb));
    const columns = Number(env['COLUMNS']);
    const out = new Output({
      format,
      colour,
      width: columns > 0 ? columns : io.stdout.isTTY ? (io.stdout.columns ?? 80) : Number.POSITIVE_INFINITY,
      interactive: io.stderr.isTTY === true && !dumb,
      stdout: io.stdout,
      stderr: io.stderr,
      now,
    });
    // One reader for every readLine: what arrives past a line (piped answers) waits for the next.
    let stdin: AsyncIterator<Buffer | string> | undefined;
    let buffered = '';
    const ctx: Context = {
      api: new ApiClient(settings.url, { apiKey: settings.apiKey, token: settings.token }, io.fetch),
      out,
      settings,
      readLine: async (prompt, options = {}) => {
        const hidden = options.secret === true && io.stdinIsTTY === true && io.setRawMode !== undefined;
        // Raw before the prompt: whatever is typed once the prompt shows is not echoed.
        if (hidden) io.setRawMode?.(true);
        if (io.stdinIsTTY) io.stderr.write(prompt);
        stdin ??= io.stdin[Symbol.asyncIterator]();
        try {
          while (!LINE_ENDS.some((c) => buffered.includes(c))) {
            const next = await stdin.next();
            if (next.done === true) break;
            buffered += typeof next.value === 'string' ? next.value : next.value.toString('utf8');
          }
        } finally {
          if (hidden) {
            io.setRawMode?.(false);
            io.stderr.write('\n');
          }
        }
        if (hidden) {
          const typed = buffered;
          buffered = '';
          return typedLine(typed);
        }
        const end = /\r?\n/.exec(buffered);
        const line = end ? buffered.slice(0, end.index) : buffered;
        buffered = end ? buffered.slice(end.index + end[0].length) : '';
        return line;
      },
    };
    try {
      return await command.run(ctx, { values, positionals: parsed.positionals });
    } finally {
      // Done reading: lets the process exit (a terminal's stdin would otherwise keep it alive).
      await stdin?.return?.();
    }
  } catch (error) {
    if (error instanceof UsageError)
      return fail(`${error.message}\nRun "squall ${command.name} --help" for its options.`, EXIT.usage);
    if (error instanceof ApiError) {
      const hint = error.status === 401 && command.name !== 'login' ? unauthorizedHint(settings) : '';
      return fail(`${error.message}${hint}`, EXIT.error);
    }
    throw error;
  }
}

/** After StackStorm's 401 faultstring, on the same line: what was sent, and how to authenticate. */
function unauthorizedHint(settings: Settings | undefined): string {
  const how = 'run "squall login USER" or set SQUALL_API_KEY';
  if (settings?.credentialFrom) return ` (with ${settings.credentialFrom}; ${how})`;
  if (settings?.savedTokenUnused) return ` (${settings.savedTokenUnused}; ${how})`;
  return ` (${how})`;
}

/** Enter, and on a raw terminal Ctrl-C and Ctrl-D: the end of what `readLine` reads. */
const LINE_ENDS = ['\r', '\n', '\x03', '\x04'] as const;

/** What was typed on a raw terminal up to Enter: backspaces applied; Ctrl-C or Ctrl-D cancels. */
function typedLine(raw: string): string {
  let line = '';
  for (const ch of raw) {
    if (ch === '\r' || ch === '\n') return line;
    if (ch === '\x03' || ch === '\x04') throw new UsageError('canceled');
    if (ch === '\x7f' || ch === '\b') line = line.slice(0, -1);
    else line += ch;
  }
  return line;
}
