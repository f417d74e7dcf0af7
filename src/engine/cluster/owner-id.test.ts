import { describe, expect, it } from 'vitest';
import { deadLocalOwner, ownerId } from './owner-id.ts';

describe('owner ids', () => {
  const alive = new Set([100, 200]);
  const self = ownerId('web-1', 100, 'aaaaaa', 'm1');
  const dead = deadLocalOwner('m1', (pid) => alive.has(pid), self);

  it('calls dead only a process of this machine that is gone', () => {
    expect(ownerId('web-1', 300, 'bbbbbb', 'm1')).toBe('web-1:300:bbbbbb:m1');
    expect(dead('web-1:300:bbbbbb:m1')).toBe(true);
    expect(dead('web-1:200:cccccc:m1')).toBe(false); // alive
    expect(dead(self)).toBe(false);
    expect(dead('web-2:300:bbbbbb:m2')).toBe(false); // another machine (or pid namespace)
    expect(dead('web-1:300:bbbbbb')).toBe(false); // named before machine keys: left to expire
    expect(dead('garbage')).toBe(false);
  });

  it('leaves the machine key out when there is none', () => {
    expect(ownerId('h', 1, 'r', undefined)).toBe('h:1:r');
  });
});
