/**
 * A secret an action prints in pieces, read from its pipe at different times, is still never
 * shown: stored chunks never end inside a secret, so the live stream, the stream replay and
 * `/output` (which redact chunk by chunk) all catch it whole.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSse } from '../helpers/sse.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

const SECRET = 'split-secret-4c1d9e07ab';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall({ packsPaths: [join(import.meta.dirname, 'fixtures', 'packs')] });
});
afterAll(async () => {
  await squall.close();
});

const outputText = (frames: { event: string; data: string }[]): string =>
  frames
    .filter((f) => f.event === 'st2.execution.output__create')
    .map((f) => (JSON.parse(f.data) as { data: string }).data)
    .join('');

describe('a secret printed in two pieces', () => {
  it('is masked whole in the live stream, the replay and /output', async () => {
    const live = await connectSse(`${squall.url}/stream/v1/stream?events=st2.execution.output__create`);
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'secrets.print_token_slowly', parameters: { token: SECRET } },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const following = await connectSse(`${squall.url}/stream/v1/executions/${id}/output`);
    expect((await squall.waitFor(id))['status']).toBe('succeeded');
    await following.closed;
    await live.until((frames) => outputText(frames).includes(' end\n'), 10_000);
    live.close();

    const replay = await connectSse(`${squall.url}/stream/v1/executions/${id}/output`);
    await replay.closed;
    const stored = await (await squall.api(`/api/v1/executions/${id}/output`)).text();
    for (const text of [
      outputText(live.frames),
      outputText(following.frames),
      outputText(replay.frames),
      stored,
    ]) {
      expect(text).toBe('begin ******** end\n');
    }
    // It was printed in two pieces that were stored apart (else this test proves nothing).
    const chunks = replay.frames.filter((f) => f.event === 'st2.execution.output__create');
    expect(chunks.length).toBeGreaterThan(1);
    // show_secrets (auth is off here, so the requester may) shows what was printed.
    const raw = await (await squall.api(`/api/v1/executions/${id}/output?show_secrets=true`)).text();
    expect(raw).toBe(`begin ${SECRET} end\n`);
  });
});
