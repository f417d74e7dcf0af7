import { describe, expect, it } from 'vitest';
import { pack } from './event-relay.ts';

describe('pack', () => {
  it('splits entries into messages that each fit, keeping their order', () => {
    const entries = Array.from({ length: 500 }, (_, i) =>
      i % 2 === 0 ? (['o', 1_000_000 + i] as const) : (['u', `${i}`.padStart(24, '0'), 'running'] as const),
    );
    const messages = pack('host:1:abc', entries.map((e) => [...e]) as Parameters<typeof pack>[1], 1000);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(Buffer.byteLength(m.text)).toBeLessThanOrEqual(1000);
    const parsed = messages.map((m) => JSON.parse(m.text) as { o: string; e: unknown[] });
    expect(parsed.every((p) => p.o === 'host:1:abc')).toBe(true);
    expect(parsed.flatMap((p) => p.e)).toEqual(entries.map((e) => [...e]));
    expect(pack('o', [], 1000)).toEqual([]);
  });

  it('sends an announcement whole under `events`, or not at all when it cannot fit a message', () => {
    const small: Parameters<typeof pack>[1] = [['a', 'chatops', { text: 'déployé' }, 'stanley']];
    const [message] = pack('o', small, 1000);
    expect(message?.topic).toBe('events');
    expect(JSON.parse(message?.text ?? '')).toEqual({
      o: 'o',
      e: [['a', 'chatops', { text: 'déployé' }, 'stanley']],
    });
    // Sizes are counted in bytes: 500 two-byte characters do not fit 1000 bytes with the rest.
    const big: Parameters<typeof pack>[1] = [
      ['a', 'r', { text: 'é'.repeat(500) }, null],
      ['o', 1],
    ];
    expect(pack('o', big, 1000).map((m) => JSON.parse(m.text) as unknown)).toEqual([
      { o: 'o', e: [['o', 1]] },
    ]);
  });

  it('puts what workers act on under `work`, the rest under `events`, in order', () => {
    const id = 'a'.repeat(24);
    const messages = pack(
      'o',
      [
        ['c', id, 'requested', 0],
        ['u', id, 'scheduled'],
        ['o', 7],
        ['u', id, 'canceling'],
        ['u', id, 'requested'],
        ['u', id, 'canceled'],
      ],
      1000,
    );
    expect(messages.map((m) => [m.topic, (JSON.parse(m.text) as { e: unknown[] }).e.length])).toEqual([
      ['work', 1],
      ['events', 2],
      ['work', 2],
      ['events', 1],
    ]);
  });
});
