/**
 * Running StackStorm's own `st2` CLI (st2client, unchanged) against a test Squall, for
 * st2client.test.ts and st2client-auth.test.ts. st2client is not ours and never committed: the
 * suites run when ST2CLIENT_DIR points at an extracted copy of StackStorm/st2's `st2client` folder
 * and Debian's python3 has its dependencies (st2-cli-requests.md §6); the two stand-ins missing
 * from Debian are written by scripts/st2client-standins.py into a temp folder. Otherwise the
 * suites are skipped, saying why.
 *
 *   fetch StackStorm/st2; git --git-dir=<repo> archive HEAD st2client | tar -x -C vendor/st2
 *   apt-get install python3-requests python3-prettytable python3-yaml python3-dateutil \
 *     python3-jsonpath-rw python3-argcomplete python3-prompt-toolkit python3-six \
 *     python3-jsonschema python3-editor python3-tz python3-pygments
 *   ST2CLIENT_DIR=$PWD/vendor/st2/st2client npx vitest run test/cli/st2client*.test.ts
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/processes.ts';
import { finished, type CliResult } from './cli-process.ts';

const PYTHON = '/usr/bin/python3';
const CLIENT_DIR = process.env['ST2CLIENT_DIR'];

/** Why st2client cannot run here, or undefined when it can. */
export function st2clientUnavailable(): string | undefined {
  if (!CLIENT_DIR) return 'ST2CLIENT_DIR is not set (see the header of test/cli/st2client.ts)';
  if (!existsSync(join(CLIENT_DIR, 'st2client', 'shell.py')))
    return `ST2CLIENT_DIR=${CLIENT_DIR} holds no st2client/shell.py`;
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed`;
  try {
    execFileSync(
      PYTHON,
      [
        '-c',
        'import requests, prettytable, yaml, dateutil, jsonpath_rw, argcomplete, prompt_toolkit, six, jsonschema, pytz',
      ],
      { stdio: 'pipe' },
    );
  } catch {
    return `${PYTHON} lacks st2client's Debian packages (st2-cli-requests.md §6)`;
  }
  return undefined;
}

/**
 * The environment st2 runs in against `url`: the three URLs of st2-cli-requests.md §1, no ST2_*
 * variables from outside, and a fresh HOME (its ~/.st2 is where `st2 login` keeps the config and
 * the token; a stray one with credentials would make every command log in first).
 */
export function st2Env(url: string, extra: Record<string, string> = {}): Record<string, string> {
  const standins = mkdtempSync(join(tmpdir(), 'st2client-standins-'));
  execFileSync(PYTHON, [join(ROOT, 'scripts', 'st2client-standins.py'), standins]);
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ST2_')) base[k] = v;
  return {
    ...base,
    HOME: mkdtempSync(join(tmpdir(), 'st2-home-')),
    PYTHONPATH: `${CLIENT_DIR ?? ''}:${standins}`,
    PYTHONWARNINGS: 'ignore',
    TERM: 'dumb',
    ST2_API_URL: `${url}/api/v1`,
    ST2_AUTH_URL: `${url}/auth/v1`,
    ST2_STREAM_URL: `${url}/stream/v1`,
    ...extra,
  };
}

export function st2Process(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(PYTHON, ['-m', 'st2client.shell', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const runSt2 = (args: readonly string[], env: Record<string, string>): Promise<CliResult> =>
  finished(st2Process(args, env));
