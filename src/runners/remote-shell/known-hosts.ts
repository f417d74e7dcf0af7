/**
 * Host key checking against an OpenSSH known_hosts file, when one is configured. StackStorm
 * accepts any host key (a FIXME in its Paramiko client), which lets a man in the middle collect
 * passwords and run commands; with `--ssh-known-hosts`, Squall checks as `ssh` does with
 * StrictHostKeyChecking=yes: the host must be listed, with the key it presents.
 *
 * Understood: plain and hashed (`|1|salt|hash`) host names, `[host]:port`, `*`/`?` wildcards,
 * `!` negations, and `@revoked` keys. `@cert-authority` lines are skipped (no certificates).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Why the key is refused, or undefined when it is the host's known key. */
export type HostKeyCheck = (hostname: string, port: number, key: Buffer) => string | undefined;

export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | undefined;
  patterns: string[];
  key: Buffer;
}

/** Checks against `path`, read at every login so that edits apply at once. */
export function knownHostsCheck(path: string): HostKeyCheck {
  return (hostname, port, key) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      return `Cannot read the known hosts file ${path}: ${(err as Error).message}`;
    }
    return checkHostKey(parseKnownHosts(text), hostname, port, key, path);
  };
}

export function checkHostKey(
  entries: readonly KnownHostEntry[],
  hostname: string,
  port: number,
  key: Buffer,
  path: string,
): string | undefined {
  const name = port === 22 ? hostname : `[${hostname}]:${port}`;
  if (entries.some((e) => e.marker === 'revoked' && e.key.equals(key))) {
    return `The host key of ${name} is marked as revoked in ${path}.`;
  }
  const listed = entries.filter((e) => e.marker === undefined && matches(e.patterns, name));
  if (listed.some((e) => e.key.equals(key))) return undefined;
  if (listed.length > 0) {
    return `Host key verification failed: the key ${name} presented is not the one ${path} lists for it (it may have been replaced, or someone may be intercepting the connection).`;
  }
  return `Host key verification failed: ${name} is not in ${path}.`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, , blob] = fields;
    if (hosts === undefined || blob === undefined) continue;
    entries.push({ marker, patterns: hosts.split(','), key: Buffer.from(blob, 'base64') });
  }
  return entries;
}

/** OpenSSH's rule: some pattern matches and no negated one does. */
function matches(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (!matchOne(body, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function matchOne(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (salt === undefined || hash === undefined) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(name);
}
