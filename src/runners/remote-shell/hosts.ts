/**
 * The `hosts` runner parameter: a comma-separated list of `host[:port]` (IPv6 in brackets when it
 * has a port), read as StackStorm's remote runner reads it.
 */
import { isIP } from 'node:net';

export interface RemoteHost {
  /** The hostname or address, without port or brackets: the key of the host's result. */
  hostname: string;
  /** The port the entry names, if any; the `port` parameter or 22 apply otherwise. */
  port: number | undefined;
}

export class InvalidHostError extends Error {}

/** Splits the list, dropping empty entries (StackStorm tolerates `a,,b` and a trailing comma). */
export function parseHosts(list: string): RemoteHost[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(splitHostPort);
}

export function splitHostPort(entry: string): RemoteHost {
  // A bare IPv4 or IPv6 address has no port to split off (IPv6 colons are not a port separator).
  if (isIP(entry) !== 0) return { hostname: entry, port: undefined };
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close > 0 && close === entry.length - 1) return { hostname: entry.slice(1, close), port: undefined };
    const cut = entry.lastIndexOf(':');
    return { hostname: entry.slice(1, close > 0 ? close : cut), port: portOf(entry.slice(cut + 1)) };
  }
  const cut = entry.lastIndexOf(':');
  if (cut < 0) return { hostname: entry, port: undefined };
  return { hostname: entry.slice(0, cut), port: portOf(entry.slice(cut + 1)) };
}

function portOf(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidHostError(`Invalid port ${text} specified.`);
  }
  return port;
}
