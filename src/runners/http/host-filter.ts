/** `url_hosts_blacklist` / `url_hosts_whitelist` (spec §7.4). */

/** The host as StackStorm compares it: no port, no IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Throws when the URL's host may not be contacted. Squall applies it to every redirect hop too
 * (StackStorm only checks the first URL), so a redirect cannot lead past the list.
 */
export function checkHostAllowed(
  url: URL,
  /** The URL as the user wrote it, for the message. */
  shown: string,
  blacklist: readonly string[],
  whitelist: readonly string[],
): void {
  const host = hostOf(url);
  if (blacklist.length > 0 && blacklist.includes(host)) {
    throw new Error(`URL "${shown}" is blacklisted`);
  }
  if (whitelist.length > 0 && !whitelist.includes(host)) {
    throw new Error(`URL "${shown}" is not whitelisted`);
  }
}
