import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../domain/types.ts';
import { testAction, testContext } from '../testing/run-context.ts';
import { createAnnouncementRunner } from './announcement-runner.ts';

describe('announcement', () => {
  const action = testAction({ ref: 'core.announcement', runner_type: 'announcement' });

  it('publishes the action parameters on its route and returns them', async () => {
    const announced: [string, JsonObject][] = [];
    const ctx = {
      ...testContext({ action }),
      announce: (route: string, payload: JsonObject) => announced.push([route, payload]),
    };
    const outcome = await createAnnouncementRunner().run(
      { experimental: true, route: 'chatops' },
      { message: 'hi' },
      ctx,
    );
    expect(outcome).toEqual({ status: 'succeeded', result: { output: { message: 'hi' }, message: 'hi' } });
    expect(announced).toEqual([['chatops', { message: 'hi' }]]);
  });

  it('fails without the experimental flag, announcing nothing', async () => {
    const announced: unknown[] = [];
    const ctx = { ...testContext({ action }), announce: (...args: unknown[]) => announced.push(args) };
    const outcome = await createAnnouncementRunner().run({ experimental: false, route: 'general' }, {}, ctx);
    expect(outcome.status).toBe('failed');
    expect(outcome.result['error']).toBe('Experimental flag is missing for action core.announcement');
    expect(announced).toEqual([]);
  });
});
