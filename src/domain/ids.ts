import { randomBytes } from 'node:crypto';

/**
 * Ids shaped like MongoDB ObjectIds (24 lowercase hex characters) because StackStorm clients and
 * scripts parse them: 4 bytes of seconds since the epoch, 5 random bytes fixed per process, and a
 * 3-byte counter. Ordering by id therefore orders by creation time, to the second, and within one
 * process exactly.
 */
const processUnique = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

export function newId(nowMs: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(nowMs / 1000) >>> 0;
  return seconds.toString(16).padStart(8, '0') + processUnique + counter.toString(16).padStart(6, '0');
}

const ID_PATTERN = /^[0-9a-f]{24}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}
