import { describe, expect, it } from 'vitest';
import type { ParameterSpecs } from '../../domain/types.ts';
import { datastoreKeysOf } from './datastore-keys.ts';
import { st2kvRoot } from './datastore-lookup.ts';
import { renderLiveParameters } from './render.ts';

const runner = { runner_parameters: {} as ParameterSpecs };

describe('st2kv in templates', () => {
  it('finds the items templates read, in values, nested values and defaults', () => {
    const action = {
      parameters: {
        a: { type: 'string', default: '{{ st2kv.user.token }}' },
        b: { type: 'string' },
      } as unknown as ParameterSpecs,
    };
    const keys = datastoreKeysOf(
      { action, runner },
      {
        b: [
          '{{ st2kv.system.host }}:{{ st2kv.system["port"] }}',
          { k: '{{ st2kv.system.a.b | decrypt_kv }}' },
        ],
      },
    );
    expect(keys).toEqual([
      { scope: 'system', name: 'host' },
      { scope: 'system', name: 'port' },
      { scope: 'system', name: 'a' },
      { scope: 'system', name: 'a.b' },
      { scope: 'user', name: 'token' },
    ]);
  });

  it('renders stored values, empty for missing items, and decrypt_kv for secrets', () => {
    const action = {
      parameters: { p: { type: 'string' }, n: { type: 'integer' } } as unknown as ParameterSpecs,
    };
    const st2kv = st2kvRoot(
      new Map([
        ['host', { stored: 'db1' }],
        ['a.b', { stored: 'dotted' }],
        ['pw', { stored: 'CIPHERTEXT', plain: 'hunter2' }],
      ]),
      new Map([['me', { stored: 'mine' }]]),
    );
    const live = renderLiveParameters({
      action,
      runner,
      context: {},
      lookups: { st2kv },
      provided: {
        p: '{{ st2kv.system.host }} {{ st2kv.system.a.b }} {{ st2kv.system.pw }} {{ st2kv.system.pw | decrypt_kv }} {{ st2kv.user.me }} [{{ st2kv.system.nothing }}]',
        n: '{{ st2kv.system.nothing | int }}',
      },
    });
    expect(live).toEqual({ p: 'db1 dotted CIPHERTEXT hunter2 mine []', n: 0 });
  });

  it('names the missing item when decrypt_kv finds nothing', () => {
    const action = { parameters: { encrypted_param: { type: 'string' } } as unknown as ParameterSpecs };
    expect(() =>
      renderLiveParameters({
        action,
        runner,
        context: {},
        lookups: { st2kv: st2kvRoot(new Map(), new Map()) },
        provided: { encrypted_param: '{{ st2kv.system.secret | decrypt_kv }}' },
      }),
    ).toThrow(
      'Failed to render parameter "encrypted_param": Referenced datastore item "st2kv.system.secret" doesn\'t exist or it contains an empty string',
    );
  });
});
