/**
 * The examples pack's sub-workflow tests as StackStorm runs them, and the ActionChain →
 * Orquesta sub-workflow pause.
 *
 * `<% $.x %>` at the top level: Orquesta evaluates YAQL with the workflow context bound to
 * `$__vars` (for `ctx()`) and no data, so `$` is null there and `$.x` is yaql's
 * `Unknown function "#property#x"` (checked against yaql 2.0.0 as Orquesta calls it). The
 * examples orquesta-test-pause-resume and task2 of orquesta-test-cancel-subworkflow use it, so in
 * StackStorm they fail at those tasks; only `$` inside a query (`select($.x)`) is the item.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { writeScratchPack } from './scratch-pack.ts';
import {
  children,
  EXAMPLE_PACKS,
  field,
  gateFiles,
  put,
  run,
  statusIs,
  taskChildren,
  taskNames,
  until,
  type Doc,
} from './workflow-helpers.ts';

const CHAIN = `chain:
  - name: task1
    ref: examples.orquesta-test-pause
    params:
      tempfile: "{{tempfile}}"
    on-success: task2
  - name: task2
    ref: core.local
    params:
      cmd: echo foobar
`;

let squall: TestSquall;
let packsDir: string;
beforeAll(async () => {
  packsDir = writeScratchPack('wfsub', {
    'chain-pause-subworkflow': {
      meta:
        'name: chain-pause-subworkflow\nrunner_type: action-chain\n' +
        'entry_point: chains/chain_pause_subworkflow.yaml\nenabled: true\n' +
        'parameters:\n  tempfile:\n    type: string\n    required: true\n',
      entryPoint: ['chains/chain_pause_subworkflow.yaml', CHAIN],
    },
  });
  squall = await startTestSquall({ packsPaths: [EXAMPLE_PACKS, packsDir] });
});
afterAll(async () => {
  await squall.close();
  gates.cleanUp();
  rmSync(packsDir, { recursive: true, force: true });
});

const gates = gateFiles('squall-subworkflows-');
const tempfile = (): string => gates.create();
const remove = (path: string): void => gates.remove(path);

const dollarError = (name: string, task: string): Doc => ({
  type: 'error',
  message:
    `YaqlEvaluationException: Unable to evaluate expression '<% $.${name} %>'. ` +
    `NoFunctionRegisteredException: Unknown function "#property#${name}"`,
  task_id: task,
  route: 0,
});

describe('examples with `$.x` at the top level, as StackStorm runs them', () => {
  it('fails orquesta-test-pause-resume at task1, before any child', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-pause-resume', { tempfile: path, message: 'hi' });
    const done = await until(squall, id, statusIs('failed'));
    expect(done['result']).toEqual({ errors: [dollarError('tempfile', 'task1')], output: null });
    expect(await children(squall, id)).toEqual([]);
  });

  it('runs orquesta-test-cancel-subworkflow’s sub-workflow, then fails task2 on `$.message`', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-cancel-subworkflow', {
      tempfile: path,
      message: 'hi',
    });
    const sub = (await taskChildren(squall, id, 'task1', 'running'))[0] as Doc;
    await taskChildren(squall, String(sub['id']), 'task1', 'running');
    remove(path);
    const done = await until(squall, id, statusIs('failed'));
    expect(done['result']).toEqual({ errors: [dollarError('message', 'task2')], output: null });
    const list = await children(squall, id, '?depth=1');
    expect(list.map((c) => [taskNames([c])[0], c['status']])).toEqual([['task1', 'succeeded']]);
    const subDone = await until(squall, String(sub['id']), statusIs('succeeded'));
    expect(field(subDone, 'result.output')).toBeNull();
  });

  it('cascades a sub-workflow’s cancel up to orquesta-test-cancel-subworkflow', async () => {
    // st2tests/integration/orquesta/test_wiring_cancel.py test_cancellation_cascade_up_from_subworkflow
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-cancel-subworkflow', {
      tempfile: path,
      message: 'hi',
    });
    const sub = (await taskChildren(squall, id, 'task1', 'running'))[0] as Doc;
    const subId = String(sub['id']);
    await taskChildren(squall, subId, 'task1', 'running');
    await squall.api(`/api/v1/executions/${subId}`, { method: 'DELETE' });
    await until(squall, subId, statusIs('canceling'));
    await until(squall, id, statusIs('canceling'));
    remove(path);
    await until(squall, subId, statusIs('canceled'));
    await until(squall, id, statusIs('canceled'));
    expect(taskNames(await children(squall, id, '?depth=1'))).toEqual(['task1']);
  });
});

describe('ActionChain → Orquesta sub-workflow', () => {
  it('pauses the chain and its running sub-workflow, then resumes both to success', async () => {
    const path = tempfile();
    const id = await run(squall, 'wfsub.chain-pause-subworkflow', { tempfile: path });
    const sub = (await taskChildren(squall, id, 'task1', 'running'))[0] as Doc;
    const subId = String(sub['id']);
    await taskChildren(squall, subId, 'task1', 'running');
    await put(squall, id, 'pausing');
    await until(squall, id, statusIs('pausing', 'paused'));
    await until(squall, subId, statusIs('pausing', 'paused'));
    remove(path);
    await until(squall, subId, statusIs('paused'));
    const paused = await until(squall, id, statusIs('paused'));
    expect((field(paused, 'result.tasks') as Doc[]).map((t) => t['name'])).toEqual(['task1']);
    // The sub-workflow's task2 has not started while paused.
    expect(taskNames(await children(squall, subId))).toEqual(['task1']);

    await put(squall, id, 'resuming');
    await until(squall, subId, statusIs('succeeded'));
    const done = await until(squall, id, statusIs('succeeded'));
    expect(taskNames(await children(squall, subId))).toEqual(['task1', 'task2']);
    expect((field(done, 'result.tasks') as Doc[]).map((t) => [t['name'], t['state']])).toEqual([
      ['task1', 'succeeded'],
      ['task2', 'succeeded'],
    ]);
  });
});
