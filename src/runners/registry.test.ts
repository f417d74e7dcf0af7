import { describe, expect, it } from 'vitest';
import { getRunnerTypeByName } from './catalog.ts';
import { createRunners } from './registry.ts';
import { testContext } from './testing/run-context.ts';

describe('createRunners', () => {
  it('offers exactly the implemented runner types, all of them in the catalogue', () => {
    const runners = createRunners();
    expect([...runners.keys()].sort()).toEqual([
      'announcement',
      'http-request',
      'inquirer',
      'local-shell-cmd',
      'local-shell-script',
      'noop',
      'python-script',
      'remote-shell-cmd',
      'remote-shell-script',
    ]);
    for (const name of runners.keys()) expect(getRunnerTypeByName(name)).toBeDefined();
  });

  it('noop succeeds with the static result', async () => {
    const noop = createRunners().get('noop');
    expect(await noop?.run({}, { anything: 1 }, testContext())).toEqual({
      status: 'succeeded',
      result: { failed: false, succeeded: true, return_code: 0 },
    });
  });
});
