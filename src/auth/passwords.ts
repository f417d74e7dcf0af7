/**
 * The password file: one user a line, `name:$scrypt$N$r$p$salt$hash`, salts and hashes in base64.
 * scrypt (node:crypto) is memory-hard and salted per user, so a stolen file is expensive to attack
 * and never reveals a password. The file is re-read when it changes, so `squall user add` takes
 * effect without a restart.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** User names as StackStorm accepts them in practice; no `:` or newline can split a line. */
const USER_NAME = /^[A-Za-z0-9_.@-]{1,128}$/;

export class PasswordFileError extends Error {}

export function isValidUserName(name: string): boolean {
  return USER_NAME.test(name);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { ...COST, maxmem: 64 * 1024 * 1024 });
  return `$scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  // ['', 'scrypt', N, r, p, salt, hash]
  if (parts.length !== 7 || parts[1] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[2]), Number(parts[3]), Number(parts[4])];
  const expected = Buffer.from(parts[6] ?? '', 'base64');
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || expected.length === 0)
    return false;
  const actual = await scrypt(password, Buffer.from(parts[5] ?? '', 'base64'), expected.length, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}

function parse(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) continue;
    users.set(trimmed.slice(0, colon), trimmed.slice(colon + 1));
  }
  return users;
}

export class PasswordFile {
  readonly path: string;
  #users = new Map<string, string>();
  #loadedMtime = -1;

  constructor(path: string) {
    this.path = path;
  }

  #refresh(): Map<string, string> {
    if (!existsSync(this.path)) {
      this.#users = new Map();
      this.#loadedMtime = -1;
      return this.#users;
    }
    const mtime = statSync(this.path).mtimeMs;
    if (mtime !== this.#loadedMtime) {
      this.#users = parse(readFileSync(this.path, 'utf8'));
      this.#loadedMtime = mtime;
    }
    return this.#users;
  }

  has(user: string): boolean {
    return this.#refresh().has(user);
  }

  users(): string[] {
    return [...this.#refresh().keys()];
  }

  /** Whether the password is the user's; false for unknown users (after the same work). */
  async verify(user: string, password: string): Promise<boolean> {
    const stored = this.#refresh().get(user);
    if (stored === undefined) {
      // Spend the same time as for a known user, so timing does not reveal who exists.
      await hashPassword(password);
      return false;
    }
    return verifyPassword(password, stored);
  }

  /** Adds the user, or replaces their password. */
  async set(user: string, password: string): Promise<void> {
    if (!isValidUserName(user)) {
      throw new PasswordFileError(`invalid user name "${user}": use letters, digits, _ . @ -`);
    }
    if (password === '') throw new PasswordFileError('the password must not be empty');
    const users = new Map(this.#refresh());
    users.set(user, await hashPassword(password));
    const text = [...users].map(([name, hash]) => `${name}:${hash}\n`).join('');
    writeFileSync(this.path, text, { mode: 0o600 });
    chmodSync(this.path, 0o600);
    this.#loadedMtime = -1;
  }
}
