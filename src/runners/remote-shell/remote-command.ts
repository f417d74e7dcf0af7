/**
 * The command line a remote action runs through SSH (StackStorm's Paramiko command and script
 * actions): exported environment, `cd` to the working directory, the command, and sudo around it.
 */
import type { Json } from '../../domain/types.ts';
import { shellQuote } from '../process/sudo.ts';
import { pyStr } from '../shared/python-str.ts';

export interface RemoteCommandParts {
  /** Exported before the command: the action's `env` and StackStorm's `ST2_ACTION_*` variables. */
  env: Record<string, Json>;
  cwd: string | undefined;
  sudo: boolean;
  sudoPassword: string | undefined;
}

/**
 * The parts from the runner parameters, with StackStorm's `ST2_ACTION_*` variables (`actionEnv`)
 * exported after, and so over, the action's own `env`.
 */
export function commandParts(
  params: Pick<RemoteCommandParts, 'cwd' | 'sudo' | 'sudoPassword'> & { env: Record<string, Json> },
  actionEnv: Record<string, string>,
): RemoteCommandParts {
  return {
    env: { ...params.env, ...actionEnv },
    cwd: params.cwd,
    sudo: params.sudo,
    sudoPassword: params.sudoPassword,
  };
}

/** `remote-shell-cmd`: the user's command, as written (it is shell text by design). */
export function commandLine(cmd: string, parts: RemoteCommandParts): string {
  // StackStorm leaves the cmd runner's `cwd` unquoted, so `~/work` still expands; kept for that.
  return wrap(cmd, parts.cwd, parts);
}

/** `remote-shell-script`: the uploaded script and its arguments, each quoted. */
export function scriptCommandLine(
  script: string,
  args: readonly string[],
  parts: RemoteCommandParts,
): string {
  const invocation = [script, ...args].map(shellQuote).join(' ');
  return wrap(invocation, parts.cwd === undefined ? undefined : shellQuote(parts.cwd), parts);
}

function wrap(command: string, cwd: string | undefined, parts: RemoteCommandParts): string {
  const steps = [exportLine(parts), cwd === undefined ? '' : `cd ${cwd}`, command].filter((s) => s !== '');
  const line = steps.join(' && ');
  if (!parts.sudo) return line;
  const password = parts.sudoPassword;
  const sudo = `sudo ${password === undefined ? '' : '-S '}-E -- bash -c ${shellQuote(line)}`;
  if (password === undefined) return sudo;
  // The password reaches sudo on stdin, never as an argument of sudo itself; history is off so an
  // interactive login shell does not record it. printf, unlike StackStorm's `echo -e`, passes a
  // password with backslashes through unchanged.
  return `set +o history ; printf '%s\\n' ${shellQuote(password)} | ${sudo}`;
}

function exportLine(parts: RemoteCommandParts): string {
  const env: Record<string, Json> = { ...parts.env };
  if (parts.sudo && parts.sudoPassword !== undefined) {
    env.HISTFILE = '/dev/null';
    env.HISTSIZE = '0';
  }
  const names = Object.keys(env).sort();
  if (names.length === 0) return '';
  const pairs = names.map((name) => {
    const value = env[name] ?? null;
    return `${shellQuote(name)}=${shellQuote(pyStr(value))}`;
  });
  return `export ${pairs.join(' ')}`;
}

/**
 * The command as it may appear in an error message: the action's token and a sudo password are
 * masked (StackStorm masks only the token, and would show the password).
 */
export function maskCommand(command: string, sudoPassword: string | undefined): string {
  let masked = command.replace(/ST2_ACTION_AUTH_TOKEN=('[^']*'|\S+)/g, 'ST2_ACTION_AUTH_TOKEN=********');
  if (sudoPassword !== undefined) masked = masked.split(shellQuote(sudoPassword)).join('********');
  return masked;
}
