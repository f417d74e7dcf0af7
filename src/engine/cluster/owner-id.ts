/**
 * Who holds a lease: `<host>:<pid>:<random>:<machine>`. `machine` names one kernel boot and pid
 * namespace, so a process can tell that a lease holder with the same `machine` and a pid that no
 * longer exists is dead, and end its leases at once instead of waiting for them to expire (a lone
 * server restarted after a crash recovers its executions straight away). The host name alone
 * cannot tell that: containers on one host may share it while their pids mean different things.
 */
export function ownerId(host: string, pid: number, random: string, machine: string | undefined): string {
  return `${host}:${pid}:${random}${machine ? `:${machine}` : ''}`;
}

/**
 * A predicate for the lease reaper: true for owners on this machine whose process is gone. Owners
 * from elsewhere, or named before machine keys existed, are never called dead: their leases
 * expire as usual.
 */
export function deadLocalOwner(
  machine: string,
  isAlive: (pid: number) => boolean,
  self: string,
): (owner: string) => boolean {
  return (owner) => {
    if (owner === self) return false;
    const parts = owner.split(':');
    if (parts.length < 4 || parts[parts.length - 1] !== machine) return false;
    const pid = Number(parts[parts.length - 3]);
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  };
}
