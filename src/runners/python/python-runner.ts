/**
 * `python-script` (spec §7.5): runs a pack's Python action, a class with StackStorm's `Action`
 * interface whose `run(**parameters)` returns a value or a `(status, value)` pair. The action runs
 * in its own Python process (the pack's virtualenv when it has one) through `wrapper/`, which
 * gives it `st2common.runners.base_action.Action`; its prints stream as output like any action's.
 *
 * Result: `{"stdout", "stderr", "exit_code", "result"}` (`result` is the string "None" when the
 * action returned nothing), plus `error` on a timeout. Status: the returned boolean when there is
 * one and the process exited 0, else the exit code; timeout and cancel as for shell actions.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import { actionScript } from '../local-shell/entry-point.ts';
import { layerEnvironment, snapshotEnvironment, type Environment } from '../process/environment.ts';
import type { FifoPool } from '../process/fifo-pool.ts';
import { runProcess, type ProcessOutcome } from '../process/run-process.ts';
import type { RunContext, Runner, RunnerResult } from '../runner.ts';
import { readPackConfig } from '../shared/pack-config.ts';
import { abortStatus, errorResult } from '../shared/runner-results.ts';

export interface PythonRunnerOptions {
  /** The environment actions inherit; the composition root passes the server's own. */
  baseEnv?: NodeJS.ProcessEnv;
  /** The interpreter for packs without a virtualenv; default `python3` from PATH. */
  pythonBinary?: string;
  /** `<dir>/<pack>/bin/python` is a pack's own interpreter when it exists (StackStorm's layout). */
  virtualenvsDir?: string;
  /** `<dir>/<pack>.yaml` is a pack's configuration, the action's `self.config`. */
  configsDir?: string;
  maxOutputBytes?: number;
  killGraceMs?: number;
  fifos?: FifoPool;
}

const WRAPPER_DIR = join(dirname(fileURLToPath(import.meta.url)), 'wrapper');
const WRAPPER = join(WRAPPER_DIR, 'squall_python_action.py');
const DEFAULT_TIMEOUT_SECONDS = 600;
const DEFAULT_MAX_OUTPUT_BYTES = 12 * 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 5000;
const SIGKILL_EXIT_CODE = -9;

interface Settings {
  baseEnv: Environment;
  pythonBinary: string;
  virtualenvsDir: string | undefined;
  configsDir: string | undefined;
  maxOutputBytes: number;
  killGraceMs: number;
  fifos: FifoPool | undefined;
}

export function createPythonRunner(options: PythonRunnerOptions = {}): Runner {
  const settings: Settings = {
    baseEnv: snapshotEnvironment(options.baseEnv ?? process.env),
    pythonBinary: options.pythonBinary ?? 'python3',
    virtualenvsDir: options.virtualenvsDir,
    configsDir: options.configsDir,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    fifos: options.fifos,
  };
  return {
    async run(runnerParameters, actionParameters, ctx) {
      const { entry_point: entryPoint } = ctx.action;
      if (!entryPoint) return errorResult(new Error('Missing entry_point action metadata attribute'));
      let script: string;
      let config: Json;
      try {
        script = actionScript(ctx, entryPoint);
        if (!existsSync(script)) throw new Error(`Action entry point "${script}" does not exist`);
        config = await readPackConfig(settings.configsDir, ctx.action.pack);
      } catch (err) {
        return errorResult(err instanceof Error ? err : new Error(String(err)));
      }
      const scratch = await mkdtemp(join(tmpdir(), 'squall-python-'));
      try {
        return await runAction(settings, ctx, runnerParameters, {
          script,
          resultFile: join(scratch, 'result.json'),
          request: { parameters: actionParameters, config, pack: ctx.action.pack },
        });
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

async function runAction(
  settings: Settings,
  ctx: RunContext,
  runnerParameters: JsonObject,
  call: { script: string; resultFile: string; request: JsonObject },
): Promise<RunnerResult> {
  const timeoutSeconds =
    typeof runnerParameters['timeout'] === 'number' ? runnerParameters['timeout'] : DEFAULT_TIMEOUT_SECONDS;
  const logLevel =
    typeof runnerParameters['log_level'] === 'string' ? runnerParameters['log_level'] : 'DEBUG';
  const debug = runnerParameters['debug'] === true;
  const pythonPath = [WRAPPER_DIR, settings.baseEnv['PYTHONPATH']].filter(Boolean).join(':');
  const outcome = await runProcess({
    file: interpreter(settings, ctx.action.pack),
    args: [WRAPPER, call.script],
    cwd: dirname(call.script),
    env: layerEnvironment(settings.baseEnv, runnerParameters['env'], {
      ...ctx.env,
      PYTHONPATH: pythonPath,
      // Prints reach the output stream as they happen, not when a buffer fills.
      PYTHONUNBUFFERED: '1',
      ...(debug ? { ST2_ACTION_DEBUG: 'True' } : {}),
    }),
    stdin: JSON.stringify({ ...call.request, log_level: logLevel, result_file: call.resultFile }),
    timeoutMs: timeoutSeconds * 1000,
    signal: ctx.signal,
    output: ctx.output,
    maxOutputBytes: settings.maxOutputBytes,
    killGraceMs: settings.killGraceMs,
    fifos: settings.fifos,
  });
  if (outcome.spawnError) return errorResult(outcome.spawnError);
  const returned = await readReturned(call.resultFile);
  const exitCode = outcome.timedOut ? SIGKILL_EXIT_CODE : outcome.returnCode;
  const result: JsonObject = {
    stdout: outcome.stdout.text(),
    stderr: outcome.stderr.text(),
    exit_code: exitCode,
    result: returned?.result ?? 'None',
  };
  if (outcome.timedOut) result['error'] = `Action failed to complete in ${timeoutSeconds} seconds`;
  return { status: pythonStatus(outcome, exitCode, returned?.status, ctx.signal.reason), result };
}

function pythonStatus(
  outcome: ProcessOutcome,
  exitCode: number,
  returnedStatus: Json | undefined,
  abortReason: unknown,
): ExecutionStatus {
  if (outcome.aborted) return abortStatus(abortReason);
  if (outcome.timedOut) return 'timeout';
  if (exitCode !== 0) return 'failed';
  return returnedStatus === false ? 'failed' : 'succeeded';
}

/** What the wrapper wrote: `{result, status}`, or undefined when the action never returned. */
async function readReturned(path: string): Promise<{ result: Json; status: Json } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const doc = JSON.parse(text) as { result?: Json; status?: Json };
  return { result: doc.result ?? null, status: doc.status ?? null };
}

function interpreter(settings: Settings, pack: string): string {
  if (settings.virtualenvsDir) {
    const own = join(settings.virtualenvsDir, pack, 'bin', 'python');
    if (existsSync(own)) return own;
  }
  return settings.pythonBinary;
}
