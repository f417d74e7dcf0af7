/**
 * Inquiries over HTTP against a real Squall, as StackStorm's test_wiring_inquiry.py drives them
 * with its examples pack (orquesta-ask-*, chain-test-inquiry), plus the inquiries API's answers to
 * everything that cannot be answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import {
  children,
  field,
  run,
  startWorkflowSquall,
  statusIs,
  taskChildren,
  taskNames,
  until,
  type Doc,
} from './workflow-helpers.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startWorkflowSquall();
});
afterAll(async () => {
  await squall.close();
});

async function respond(id: string, response: Doc): Promise<{ status: number; body: Doc }> {
  const res = await squall.api(`/api/v1/inquiries/${id}`, { method: 'PUT', json: { id, response } });
  return { status: res.status, body: (await res.json()) as Doc };
}

async function getJson(path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await squall.api(path);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('inquiries in Orquesta workflows (test_wiring_inquiry.py)', () => {
  it('basic: the workflow pauses on the question, the answer is checked and resumes it', async () => {
    const id = await run(squall, 'examples.orquesta-ask-basic');
    await until(squall, id, statusIs('paused'));
    const inquiry = (await taskChildren(squall, id, 'get_approval', 'pending'))[0] as Doc;
    const inquiryId = String(inquiry['id']);

    const listed = await getJson('/api/v1/inquiries');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('x-limit')).toBe('20');
    expect(Number(listed.headers.get('x-total-count'))).toBeGreaterThanOrEqual(1);
    const schema = {
      type: 'object',
      properties: { approved: { type: 'boolean', description: 'Continue?', required: true } },
    };
    expect(listed.body).toContainEqual({ id: inquiryId, route: '', ttl: 1440, users: [], roles: [], schema });
    expect((await getJson(`/api/v1/inquiries/${inquiryId}`)).body).toEqual({
      id: inquiryId,
      route: '',
      ttl: 1440,
      users: [],
      roles: [],
      schema,
    });

    const wrong = await respond(inquiryId, { approved: 'yes' });
    expect(wrong.status).toBe(400);
    expect(wrong.body['faultstring']).toBe(
      `Response for inquiry "${inquiryId}" did not pass schema validation. 'yes' is not of type 'boolean'`,
    );
    const missing = await respond(inquiryId, {});
    expect(missing.body['faultstring']).toMatch(
      /did not pass schema validation\. 'approved' is a required property$/,
    );

    const answered = await respond(inquiryId, { approved: true });
    expect(answered).toEqual({ status: 200, body: { id: inquiryId, response: { approved: true } } });
    const done = await until(squall, id, statusIs('succeeded', 'failed'));
    expect(done['status']).toBe('succeeded');
    expect(taskNames(await children(squall, id))).toEqual(['start', 'get_approval', 'finish']);
    const asked = (await getJson(`/api/v1/executions/${inquiryId}`)).body as Doc;
    expect(asked['status']).toBe('succeeded');
    expect(field(asked, 'result.response')).toEqual({ approved: true });
    expect(field(asked, 'result.schema')).toEqual(schema);

    const again = await respond(inquiryId, { approved: true });
    expect(again).toEqual({
      status: 400,
      body: { faultstring: `Inquiry "${inquiryId}" has already been responded to.` },
    });
    expect((await getJson(`/api/v1/inquiries/${inquiryId}`)).status).toBe(400);
    expect((await getJson('/api/v1/inquiries')).body).not.toContainEqual(
      expect.objectContaining({ id: inquiryId }),
    );
  });

  it('consecutive: pauses again on the second question', async () => {
    const id = await run(squall, 'examples.orquesta-ask-consecutive');
    await until(squall, id, statusIs('paused'));
    const first = (await taskChildren(squall, id, 'get_approval', 'pending'))[0] as Doc;
    expect((await respond(String(first['id']), { approved: true })).status).toBe(200);
    const second = (await taskChildren(squall, id, 'get_confirmation', 'pending'))[0] as Doc;
    await until(squall, id, statusIs('paused'));
    expect((await respond(String(second['id']), { approved: true })).status).toBe(200);
    expect((await until(squall, id, statusIs('succeeded', 'failed')))['status']).toBe('succeeded');
  });

  it('parallel: one answer leaves the workflow paused on the other', async () => {
    const id = await run(squall, 'examples.orquesta-ask-parallel');
    await until(squall, id, statusIs('paused'));
    const jack = (await taskChildren(squall, id, 'ask_jack', 'pending'))[0] as Doc;
    const jill = (await taskChildren(squall, id, 'ask_jill', 'pending'))[0] as Doc;
    expect((await respond(String(jack['id']), { approved: true })).status).toBe(200);
    await taskChildren(squall, id, 'ask_jack', 'succeeded');
    await until(squall, id, statusIs('paused'));
    expect((await respond(String(jill['id']), { approved: true })).status).toBe(200);
    expect((await until(squall, id, statusIs('succeeded', 'failed')))['status']).toBe('succeeded');
    expect(taskNames(await children(squall, id))).toEqual(['start', 'ask_jack', 'ask_jill', 'finish']);
  });

  it('nested: the answer resumes the sub-workflow, and it the workflow', async () => {
    const id = await run(squall, 'examples.orquesta-ask-nested');
    await until(squall, id, statusIs('paused'));
    const sub = (await taskChildren(squall, id, 'get_approval', 'paused'))[0] as Doc;
    const inquiry = (await taskChildren(squall, String(sub['id']), 'get_approval', 'pending'))[0] as Doc;
    expect((await respond(String(inquiry['id']), { approved: true })).status).toBe(200);
    expect((await until(squall, String(sub['id']), statusIs('succeeded', 'failed')))['status']).toBe(
      'succeeded',
    );
    expect((await until(squall, id, statusIs('succeeded', 'failed')))['status']).toBe('succeeded');
  });

  it('multiple parameters: the response is published and used by the next tasks', async () => {
    const id = await run(squall, 'examples.orquesta_ask_multiple_parameters');
    const inquiry = (await taskChildren(squall, id, 'get_approval', 'pending'))[0] as Doc;
    expect((await getJson(`/api/v1/inquiries/${String(inquiry['id'])}`)).body).toMatchObject({ ttl: 60 });
    const answer = { approved: true, department_id: 7, extra_output: 'hello' };
    expect((await respond(String(inquiry['id']), answer)).status).toBe(200);
    expect((await until(squall, id, statusIs('succeeded', 'failed')))['status']).toBe('succeeded');
    const finish = (await taskChildren(squall, id, 'finish', 'succeeded'))[0] as Doc;
    expect(field(finish, 'result.stdout')).toBe('Approved by department 7. Automation completed.');
    const extra = (await taskChildren(squall, id, 'echo_extra_message', 'succeeded'))[0] as Doc;
    expect(field(extra, 'result.stdout')).toBe('Extra info hello.');
  });

  it('an inquiry whose TTL runs out times out, failing the workflow (failed() is for failed only)', async () => {
    const id = await run(squall, 'examples.orquesta-ask-basic');
    const inquiry = (await taskChildren(squall, id, 'get_approval', 'pending'))[0] as Doc;
    await until(squall, id, statusIs('paused'));
    // Not a minute later yet: nothing expires.
    expect(await squall.engine.inquiries.expire(Date.now() * 1000)).toBe(0);
    expect(await squall.engine.inquiries.expire((Date.now() + 1441 * 60_000) * 1000)).toBeGreaterThanOrEqual(
      1,
    );
    expect((await until(squall, String(inquiry['id']), statusIs('timeout')))['status']).toBe('timeout');
    expect((await until(squall, id, statusIs('succeeded', 'failed')))['status']).toBe('failed');
    expect(taskNames(await children(squall, id))).toEqual(['start', 'get_approval']);
    const late = await respond(String(inquiry['id']), { approved: true });
    expect(late.body['faultstring']).toBe(
      `Inquiry "${String(inquiry['id'])}" timed out and cannot be responded to.`,
    );
  });
});

describe('inquiries in ActionChain workflows', () => {
  it('the chain pauses on the question and goes on with the answer (chain-test-inquiry)', async () => {
    const id = await run(squall, 'examples.chain-test-inquiry');
    await until(squall, id, statusIs('paused'));
    const inquiry = (await taskChildren(squall, id, 'task1', 'pending'))[0] as Doc;
    expect((await getJson(`/api/v1/inquiries/${String(inquiry['id'])}`)).body).toMatchObject({
      route: 'developers',
    });
    expect((await respond(String(inquiry['id']), { secondfactor: 'supersecret' })).status).toBe(200);
    const done = await until(squall, id, statusIs('succeeded', 'failed'));
    expect(done['status']).toBe('succeeded');
    const task2 = (await taskChildren(squall, id, 'task2', 'succeeded'))[0] as Doc;
    expect(field(task2, 'result.stdout')).toBe('We can now authenticate to foo service with supersecret');
    expect(taskNames(await children(squall, id))).toEqual(['task1', 'task2']);
  });
});

describe('the inquiries API', () => {
  it('core.ask on its own waits pending and succeeds with the answer', async () => {
    const id = await run(squall, 'core.ask', {});
    const pending = await until(squall, id, statusIs('pending'));
    expect(pending['result']).toEqual({
      schema: {
        title: 'response_data',
        type: 'object',
        properties: {
          continue: {
            type: 'boolean',
            description: 'Would you like to continue the workflow?',
            required: true,
          },
        },
      },
      roles: [],
      users: [],
      route: '',
      ttl: 1440,
    });
    expect((await respond(id, { continue: false })).status).toBe(200);
    const done = await until(squall, id, statusIs('succeeded'));
    expect(field(done, 'result.response')).toEqual({ continue: false });
    expect(done['end_timestamp']).toEqual(expect.any(String));
  });

  it('refuses a responder who is not listed, leaving the inquiry open', async () => {
    const id = await run(squall, 'core.ask', { users: ['alice'] });
    await until(squall, id, statusIs('pending'));
    const refused = await respond(id, { continue: true });
    expect(refused).toEqual({
      status: 403,
      body: { faultstring: `User "stanley" does not have permission to respond to inquiry "${id}".` },
    });
    expect((await getJson(`/api/v1/inquiries/${id}`)).status).toBe(200);
  });

  it("answers what is not an inquiry, unknown ids and bad bodies with StackStorm's errors", async () => {
    const shell = await run(squall, 'core.local', { cmd: 'true' });
    await until(squall, shell, statusIs('succeeded'));
    const notInquiry = await getJson(`/api/v1/inquiries/${shell}`);
    expect(notInquiry).toMatchObject({
      status: 400,
      body: { faultstring: `Action execution "${shell}" is not an inquiry.` },
    });
    expect((await respond(shell, { continue: true })).status).toBe(400);
    expect((await getJson('/api/v1/inquiries/5f0000000000000000000000')).status).toBe(404);
    const ask = await run(squall, 'core.ask', {});
    await until(squall, ask, statusIs('pending'));
    for (const body of [{ id: ask }, { id: ask, response: 'yes' }, [], 'x']) {
      const res = await squall.api(`/api/v1/inquiries/${ask}`, { method: 'PUT', json: body });
      expect(res.status).toBe(400);
      expect((await res.json()) as Doc).toHaveProperty('faultstring');
    }
    expect((await getJson('/api/v1/inquiries?limit=0')).status).toBe(400);
    const all = await getJson('/api/v1/inquiries?limit=-1');
    expect(all.status).toBe(200);
    expect(all.headers.get('x-limit')).toBeNull();
  });
});
