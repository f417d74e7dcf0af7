/**
 * No input yields a 5xx or kills the process: malformed JSON, wrong types, huge numbers, unknown
 * fields, bad ids, bad percent-encoding, oversized bodies — on every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall({ bodyLimit: 64 * 1024 });
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action: 'core.noop' } });
  await squall.waitFor(((await res.json()) as { id: string }).id);
});
afterAll(async () => {
  await squall.close();
});

interface Case {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  status: number;
  faultstring?: string | RegExp;
}

const huge = '9'.repeat(400);

function cases(): Case[] {
  const E = '/api/v1/executions';
  return [
    {
      method: 'GET',
      path: `${E}?limit=abc`,
      status: 400,
      faultstring: 'Parameter "limit" is not of type integer',
    },
    {
      method: 'GET',
      path: `${E}?limit=0`,
      status: 400,
      faultstring: 'Limit, "0" specified, must be a positive number or -1 for full result set.',
    },
    {
      method: 'GET',
      path: `${E}?limit=-5`,
      status: 400,
      faultstring: 'Limit, "-5" specified, must be a positive number.',
    },
    { method: 'GET', path: `${E}?limit=${huge}`, status: 200 },
    {
      method: 'GET',
      path: `${E}?offset=${huge}`,
      status: 400,
      faultstring: /^Offset ".*" specified is more than 32-bit int$/,
    },
    {
      method: 'GET',
      path: `${E}?offset=2147483648`,
      status: 400,
      faultstring: 'Offset "2147483648" specified is more than 32-bit int',
    },
    { method: 'GET', path: `${E}?offset=-1`, status: 400 },
    {
      method: 'GET',
      path: `${E}?show_secrets=maybe`,
      status: 400,
      faultstring: 'Parameter "show_secrets" is not of type boolean',
    },
    { method: 'GET', path: `${E}?id=zzz`, status: 400, faultstring: /is not a valid ObjectId/ },
    {
      method: 'GET',
      path: `${E}?timestamp_gt=yesterday`,
      status: 400,
      faultstring: 'Datetime value does not match expected format.',
    },
    {
      method: 'GET',
      path: `${E}?timestamp=2020-01-01..nope`,
      status: 400,
      faultstring: 'Datetime value does not match expected format.',
    },
    {
      method: 'GET',
      path: `${E}?timestamp=nope`,
      status: 400,
      faultstring: 'Datetime value does not match expected format.',
    },
    {
      method: 'GET',
      path: `${E}?filter=nocolon`,
      status: 400,
      faultstring: 'invalid format for filter "nocolon"',
    },
    { method: 'GET', path: `${E}?filter=a:b,c:d`, status: 400, faultstring: 'Cannot resolve field "a"' },
    {
      method: 'GET',
      path: `${E}?include_attributes=bogus`,
      status: 400,
      faultstring: 'Invalid or unsupported include attribute specified: bogus',
    },
    {
      method: 'GET',
      path: `${E}?exclude_attributes=action`,
      status: 400,
      faultstring: 'Invalid or unsupported exclude attribute specified: action',
    },
    {
      method: 'GET',
      path: `${E}?exclude_attributes=result&include_attributes=status`,
      status: 400,
      faultstring: /mutually exclusive/,
    },
    { method: 'GET', path: `${E}?sort=-nonexistent,%2Bbogus`, status: 200 },
    { method: 'GET', path: `${E}?parent=%ZZ`, status: 200 },
    { method: 'GET', path: `${E}?status=${'x'.repeat(5000)}`, status: 200 },
    { method: 'GET', path: `${E}/%ZZ`, status: 400, faultstring: /Failed to parse request path/ },
    { method: 'GET', path: `${E}/%E0%A4%A`, status: 400, faultstring: /Failed to parse request path/ },
    { method: 'GET', path: `${E}/${'a'.repeat(3000)}`, status: 404 },
    { method: 'GET', path: `${E}/last?max_result_size=${huge}`, status: 400 },
    {
      method: 'GET',
      path: `${E}/last?include_attributes=nope`,
      status: 400,
      faultstring: 'Invalid or unsupported include attribute specified: Cannot resolve field "nope"',
    },
    { method: 'GET', path: `${E}/bogus?exclude_attributes=action`, status: 400 },
    {
      method: 'GET',
      path: `${E}/last?exclude_attributes=result&include_attributes=status`,
      status: 400,
      faultstring: /mutually exclusive/,
    },
    { method: 'GET', path: `${E}/last/output?output_type=bogus`, status: 200 },
    { method: 'GET', path: `${E}/bogus/output`, status: 404 },
    { method: 'GET', path: `${E}/bogus/result`, status: 404 },
    { method: 'GET', path: `${E}/last/result?compress=perhaps`, status: 400 },
    { method: 'GET', path: `${E}/bogus/attribute/result`, status: 404 },
    { method: 'GET', path: `${E}/bogus/children`, status: 404 },
    {
      method: 'GET',
      path: `${E}/last/children?depth=x`,
      status: 400,
      faultstring: 'Parameter "depth" is not of type integer',
    },
    { method: 'GET', path: `${E}/views/filters?types=`, status: 200 },
    { method: 'PATCH', path: E, status: 404, faultstring: 'The resource could not be found.' },
    { method: 'GET', path: '/api/v1/nothing', status: 404, faultstring: 'The resource could not be found.' },
    {
      method: 'POST',
      path: E,
      body: '{bad json',
      status: 400,
      faultstring: /^Failed to parse request body: /,
    },
    { method: 'POST', path: E, body: '[1,2]', status: 400, faultstring: "[1, 2] is not of type 'object'" },
    { method: 'POST', path: E, body: '"text"', status: 400 },
    { method: 'POST', path: E, body: 'null', status: 400 },
    { method: 'POST', path: E, body: '', status: 400, faultstring: "'action' is a required property" },
    {
      method: 'POST',
      path: E,
      body: 'action=core.noop',
      contentType: 'application/x-www-form-urlencoded',
      status: 400,
      faultstring: /Unsupported Content-Type/,
    },
    {
      method: 'POST',
      path: E,
      body: JSON.stringify({ action: 5 }),
      status: 400,
      faultstring: "5 is not of type 'string'",
    },
    {
      method: 'POST',
      path: E,
      body: JSON.stringify({ action: 'core.noop', parameters: 'x' }),
      status: 400,
      faultstring: "'x' is not of type 'object'",
    },
    { method: 'POST', path: E, body: JSON.stringify({ action: 'core.noop', delay: -5 }), status: 400 },
    { method: 'POST', path: E, body: JSON.stringify({ action: 'core.noop', delay: 1e300 }), status: 400 },
    { method: 'POST', path: E, body: JSON.stringify({ action: 'core.noop', delay: 1.5 }), status: 400 },
    {
      method: 'POST',
      path: E,
      body: JSON.stringify({ action: 'core.noop', status: 'married' }),
      status: 400,
      faultstring: /^'married' is not one of \['requested'/,
    },
    {
      method: 'POST',
      path: E,
      body: JSON.stringify({ action: 'core.noop', notify: { 'on-what': {} } }),
      status: 400,
    },
    { method: 'POST', path: E, body: JSON.stringify({ action: 'core.noop', context: [] }), status: 400 },
    {
      method: 'POST',
      path: E,
      body: `{"action":"core.local","parameters":{"cmd":"true","timeout":${huge}}}`,
      status: 400,
    },
    {
      method: 'POST',
      path: E,
      body: JSON.stringify({ action: 'core.local', parameters: { cmd: 'true', timeout: 'abc' } }),
      status: 400,
    },
    {
      method: 'POST',
      path: E,
      body: JSON.stringify({ action: 'core.noop', x: 'x'.repeat(70 * 1024) }),
      status: 413,
    },
    { method: 'POST', path: E, body: JSON.stringify({ action: 'a'.repeat(10000) }), status: 400 },
    { method: 'POST', path: '/api/v1/actions', body: '{', status: 400 },
    {
      method: 'POST',
      path: '/api/v1/actions',
      body: JSON.stringify({ name: 'x' }),
      status: 400,
      faultstring: "'runner_type' is a required property",
    },
    {
      method: 'POST',
      path: '/api/v1/actions',
      body: JSON.stringify({ name: 'x', runner_type: 'nope' }),
      status: 400,
    },
    {
      method: 'POST',
      path: '/api/v1/actions',
      body: JSON.stringify({ name: 'x', runner_type: 'noop', parameters: 'y' }),
      status: 400,
    },
    {
      method: 'POST',
      path: '/api/v1/actions',
      body: JSON.stringify({ name: 'x', runner_type: 'noop', enabled: 'yes' }),
      status: 400,
    },
    {
      method: 'PUT',
      path: '/api/v1/actions/core.nope',
      body: JSON.stringify({ name: 'nope', runner_type: 'noop' }),
      status: 404,
    },
    { method: 'PUT', path: '/api/v1/actions/core.noop', body: '[]', status: 400 },
    { method: 'DELETE', path: '/api/v1/actions/core.nope', status: 404 },
    { method: 'GET', path: '/api/v1/actions?limit=x', status: 400 },
    { method: 'GET', path: '/api/v1/actions/%ZZ', status: 400 },
    { method: 'GET', path: '/api/v1/runnertypes/nope', status: 404 },
    { method: 'GET', path: '/api/v1/runnertypes?limit=x', status: 400 },
  ];
}

describe('bad input never yields a 5xx', () => {
  it.each(
    cases().map((c) => [`${c.method} ${c.path.slice(0, 80)} ${c.body?.slice(0, 40) ?? ''}`, c] as const),
  )('%s', async (_name, c) => {
    const res = await fetch(`${squall.url}${c.path}`, {
      method: c.method,
      headers: c.body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {},
      ...(c.body !== undefined ? { body: c.body } : {}),
    });
    expect(res.status).toBe(c.status);
    if (c.status >= 400) {
      const body = (await res.json()) as { faultstring?: string };
      expect(typeof body.faultstring).toBe('string');
      if (typeof c.faultstring === 'string') expect(body.faultstring).toBe(c.faultstring);
      else if (c.faultstring) expect(body.faultstring).toMatch(c.faultstring);
    }
  });

  it('is still healthy afterwards', async () => {
    expect((await squall.api('/api/v1/executions?limit=1')).status).toBe(200);
  });

  it('answers OPTIONS with CORS headers and echoes X-Request-ID', async () => {
    const res = await fetch(`${squall.url}/api/v1/executions`, { method: 'OPTIONS' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,DELETE,OPTIONS');
    const tagged = await fetch(`${squall.url}/api/v1/executions?limit=1`, {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(tagged.headers.get('x-request-id')).toBe('abc-123');
    expect((await fetch(`${squall.url}/api/v1/executions?limit=1`)).headers.get('x-request-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });
});
