/**
 * Vitest's side of test/helpers/sshd.ts, kept apart so benchmarks can start an sshd without
 * vitest.
 */
import { describe, it } from 'vitest';
import { SSHD, sshdAvailable } from './sshd.ts';

/**
 * `describe` for suites that need a real sshd. CI sets SQUALL_REQUIRE_SSHD=1 after installing it,
 * so there a missing sshd fails loudly instead of silently skipping the SSH tests; elsewhere
 * (a developer laptop without openssh-server) the suite is skipped with a note.
 */
export function describeWithSshd(name: string, fn: () => void): void {
  const available = sshdAvailable();
  if (!available && process.env['SQUALL_REQUIRE_SSHD'] === '1') {
    describe(name, () => {
      it('needs a real OpenSSH server', () => {
        throw new Error(
          `${SSHD} is missing or not executable, and SQUALL_REQUIRE_SSHD=1 says it must be there ` +
            `(install it: apt-get install -y --no-install-recommends openssh-server)`,
        );
      });
    });
    return;
  }
  if (!available) console.warn(`[${name}] skipped: ${SSHD} not found (apt-get install openssh-server)`);
  describe.skipIf(!available)(name, fn);
}
