/**
 * Runs the `squall` CLI as a user does: `node bin/squall.js …` in a child process, with a clean
 * environment (its own HOME and config folder, no ST2_* variables) plus what a test adds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/processes.ts';
import type { TestSquall } from '../helpers/squall.ts';

export const BIN = join(ROOT, 'bin', 'squall.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'squall-cli-home-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !k.startsWith('ST2_') &&
      !k.startsWith('SQUALL_') &&
      k !== 'NO_COLOR' &&
      k !== 'FORCE_COLOR'
    )
      env[k] = v;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extra };
}

export function startCli(args: readonly string[], env: Record<string, string>, stdin?: string): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.end(stdin ?? '');
  return child;
}

export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function runCliProcess(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  return finished(startCli(args, env, stdin));
}

/** Resolves once the child has printed `text` on stdout (with everything it printed so far). */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms; got: ${seen}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (d: Buffer | string) => {
      seen += String(d);
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

/**
 * `squall user add NAME --role …` into a running test Squall's data directory, then waits until
 * the server has read the role assignment (role files are re-read within a second of changing).
 */
export async function addUser(
  squall: TestSquall,
  user: string,
  password: string,
  roles: readonly string[],
): Promise<void> {
  const args = ['user', 'add', user, '--data-dir', squall.dataDir, ...roles.flatMap((r) => ['--role', r])];
  const added = await runCliProcess(args, cliEnv(), `${password}\n`);
  if (added.code !== 0) throw new Error(`squall user add ${user} failed: ${added.stderr}`);
  const basic = Buffer.from(`${user}:${password}`).toString('base64');
  const login = await fetch(`${squall.url}/auth/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
  });
  const { token } = (await login.json()) as { token: string };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${squall.url}/api/v1/user`, { headers: { 'x-auth-token': token } });
    const seen = ((await res.json()) as { rbac: { roles: string[] } }).rbac.roles;
    if (roles.every((r) => seen.includes(r))) return;
    if (Date.now() > deadline) throw new Error(`the server never saw ${user}'s roles ${roles.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
