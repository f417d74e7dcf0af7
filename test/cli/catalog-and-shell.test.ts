/**
 * `squall action|runner`, help, colours and table fitting, and the shell completion scripts,
 * against a real Squall.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { BIN, cliEnv, runCliProcess } from './cli-process.ts';

const execFileAsync = promisify(execFile);
const ESC = '\u001b';
let squall: TestSquall;
let env: Record<string, string>;
const squallCli = (args: string[], extra: Record<string, string> = {}) =>
  runCliProcess(args, { ...env, ...extra });

beforeAll(async () => {
  squall = await startTestSquall();
  env = cliEnv({ SQUALL_URL: squall.url });
});
afterAll(async () => {
  await squall.close();
});

describe('squall action and runner', () => {
  it('lists actions as a table, -q as refs, -j as documents', async () => {
    const table = await squallCli(['action', 'list', '-p', 'core']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^REF\s+RUNNER\s+DESCRIPTION\n/);
    expect(table.stdout).toMatch(
      /\ncore\.local\s+local-shell-cmd\s+Action that executes an arbitrary Linux command/,
    );
    const refs = (await squallCli(['action', 'list', '-q'])).stdout.trim().split('\n');
    expect(refs).toContain('core.local');
    const json = JSON.parse((await squallCli(['action', 'list', '-j'])).stdout) as { ref: string }[];
    expect(json.map((a) => a.ref).sort()).toEqual([...refs].sort());
  });

  it('fits tables to the terminal width, shortening descriptions', async () => {
    const narrow = await squallCli(['action', 'list', '-p', 'core'], { COLUMNS: '60' });
    const lines = narrow.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(60);
    expect(narrow.stdout).toContain('…');
  });

  it('shows an action with its parameter table; an unknown one is an error', async () => {
    const local = await squallCli(['action', 'get', 'core.local']);
    expect(local.stdout).toMatch(/^ref: +core\.local\n/);
    expect(local.stdout).toMatch(/runner_type: +local-shell-cmd/);
    expect(local.stdout).toMatch(/\ncmd\* +string +Arbitrary Linux command/);
    const missing = await squallCli(['action', 'get', 'core.nope']);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toBe('squall: Resource with a reference or id "core.nope" not found\n');
  });

  it('lists runner types and shows one', async () => {
    const list = await squallCli(['runner', 'list']);
    expect(list.stdout).toMatch(/\nlocal-shell-cmd\s+yes\s+A runner to execute local actions/);
    const one = JSON.parse((await squallCli(['runner', 'get', 'local-shell-cmd', '-j'])).stdout);
    expect(one.runner_parameters.timeout).toMatchObject({ type: 'integer', default: 60 });
  });
});

describe('terminal niceties', () => {
  it('colours only when asked or on a terminal, never with NO_COLOR', async () => {
    const plain = await squallCli(['runner', 'list']);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await squallCli(['runner', 'list'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[1mNAME');
    const vetoed = await squallCli(['runner', 'list'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(vetoed.stdout).not.toContain('\u001b[');
  });

  it('on a terminal: a spinner while waiting, status colours; none of it through a pipe', async (ctx) => {
    const hasScript = spawnSync('script', ['--version']).status === 0;
    ctx.skip(!hasScript, 'util-linux `script` (to give the CLI a terminal) is not installed');
    // `script` runs the command on a pseudo-terminal, as a person's shell would.
    const command = `"${process.execPath}" "${BIN}" run core.local "cmd=sleep 0.5; echo hi"`;
    const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
      env,
      encoding: 'utf8',
    });
    expect(stdout).toMatch(new RegExp(`\r${ESC}\\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] core\\.local [0-9a-f]{24}`));
    expect(stdout).toContain('\u001b[32m✔ succeeded\u001b[39m');
    expect(stdout).toContain('hi');
    const piped = await squallCli(['run', 'core.local', 'cmd=sleep 0.5; echo hi']);
    expect(piped.stderr + piped.stdout).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(piped.stderr + piped.stdout).not.toContain(ESC);
  });

  it('prints help for everything, a group and a command', async () => {
    const all = await squallCli(['--help']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('squall execution tail');
    expect(all.stdout).toContain('Exit codes: 0 succeeded, 1 failed');
    const group = await squallCli(['execution']);
    expect(group.stdout).toContain('squall execution re-run');
    const one = await squallCli(['run', '--help']);
    expect(one.stdout).toMatch(/^Usage: squall run ACTION/);
    expect(one.stdout).toContain('--trace-tag TAG');
  });

  it('`squall serve --help` is still the server', () => {
    const out = execFileSync(process.execPath, [BIN, 'serve', '--help'], { env, encoding: 'utf8' });
    expect(out).toMatch(/^Usage: squall serve\|gc/);
  });
});

describe('shell completion', () => {
  it('bash: a valid script that completes commands, subcommands, options and action refs', async () => {
    const script = (await squallCli(['completion', 'bash'])).stdout;
    expect(script).toContain('complete -F _squall squall');
    const dir = mkdtempSync(join(tmpdir(), 'squall-completion-'));
    // `squall` on PATH for the script's action-ref lookup: this checkout's bin.
    writeFileSync(join(dir, 'squall'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, {
      mode: 0o755,
    });
    writeFileSync(join(dir, 'completion.bash'), script);
    // Asynchronously: the script asks this test's server for action refs, so the loop must run.
    const complete = async (line: string): Promise<string[]> => {
      const words = line.split(' ');
      const program = [
        `source ${join(dir, 'completion.bash')}`,
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        '_squall',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const { stdout } = await execFileAsync('bash', ['-c', program], {
        env: { ...env, PATH: `${dir}:${env['PATH'] ?? ''}` },
        encoding: 'utf8',
      });
      return stdout.split('\n').filter((l) => l !== '');
    };
    expect(await complete('squall exe')).toEqual(['execution']);
    expect((await complete('squall execution re')).sort()).toEqual(['re-run', 'resume']);
    expect(await complete('squall execution list --st')).toEqual(['--status']);
    expect(await complete('squall run core.lo')).toEqual(['core.local', 'core.local_sudo']);
    expect(await complete('squall login --pa')).toEqual(['--password']);
  });

  it('zsh: a script zsh accepts', async () => {
    const script = (await squallCli(['completion', 'zsh'])).stdout;
    expect(script.startsWith('#compdef squall\n')).toBe(true);
    const zsh = spawnSync('zsh', ['-n'], { input: script, encoding: 'utf8' });
    if (zsh.error) {
      // No zsh here: at least the structure the completion system needs.
      expect(script).toContain('compdef _squall squall');
      return;
    }
    expect(zsh.status).toBe(0);
  });
});
