import { describe, expect, it } from 'vitest';
import { CappedText } from '../process/capped-text.ts';
import { hostError, remoteStatus } from './host-results.ts';
import { InvalidHostError, parseHosts, splitHostPort } from './hosts.ts';
import { ProcessGroupReport } from './process-group.ts';
import { commandLine, maskCommand, scriptCommandLine } from './remote-command.ts';

describe('hosts', () => {
  it('reads host[:port] lists as StackStorm does', () => {
    expect(parseHosts(' a.example , b.example:2222,,10.0.0.1,::1,[fe80::1]:22,[fe80::2],')).toEqual([
      { hostname: 'a.example', port: undefined },
      { hostname: 'b.example', port: 2222 },
      { hostname: '10.0.0.1', port: undefined },
      { hostname: '::1', port: undefined },
      { hostname: 'fe80::1', port: 22 },
      { hostname: 'fe80::2', port: undefined },
    ]);
  });

  it('refuses a port that is not a number, with StackStorm message', () => {
    expect(() => splitHostPort('host:ssh')).toThrow(new InvalidHostError('Invalid port ssh specified.'));
    expect(() => splitHostPort('host:70000')).toThrow('Invalid port 70000 specified.');
  });
});

describe('remote command lines', () => {
  const env = { ST2_ACTION_AUTH_TOKEN: 'tok en', B: 2, A: 'x' };

  it('exports the environment sorted and quoted, then cd, then the command', () => {
    expect(commandLine('ls -l | wc', { env, cwd: '/tmp', sudo: false, sudoPassword: undefined })).toBe(
      "export A=x B=2 ST2_ACTION_AUTH_TOKEN='tok en' && cd /tmp && ls -l | wc",
    );
  });

  it('runs under sudo -E through bash -c, with a password on stdin and history off', () => {
    expect(commandLine('id', { env: {}, cwd: '/tmp', sudo: true, sudoPassword: undefined })).toBe(
      "sudo -E -- bash -c 'cd /tmp && id'",
    );
    const line = commandLine('id', { env: {}, cwd: undefined, sudo: true, sudoPassword: "p'w\\n" });
    expect(line).toBe(
      `set +o history ; printf '%s\\n' 'p'"'"'w\\n' | sudo -S -E -- bash -c 'export HISTFILE=/dev/null HISTSIZE=0 && id'`,
    );
    expect(maskCommand(line, "p'w\\n")).not.toContain("'p'");
    expect(
      maskCommand(
        commandLine('id', { env, cwd: undefined, sudo: false, sudoPassword: undefined }),
        undefined,
      ),
    ).toBe('export A=x B=2 ST2_ACTION_AUTH_TOKEN=******** && id');
  });

  it('quotes the script, its arguments and its folder', () => {
    expect(
      scriptCommandLine('/tmp/abc/my script.sh', ['--name=a b', 'x'], {
        env: {},
        cwd: '/home/o k',
        sudo: false,
        sudoPassword: undefined,
      }),
    ).toBe("cd '/home/o k' && '/tmp/abc/my script.sh' '--name=a b' x");
  });
});

describe('remote status', () => {
  const ok = { succeeded: true, failed: false, return_code: 0 };
  const failed = { succeeded: false, failed: true, return_code: 1 };
  const timedOut = hostError('Failed executing command "x" on host "h"', new Error('late'), {
    timeout: true,
  });

  it('succeeds only when every host did, unless partial failure is allowed', () => {
    expect(remoteStatus({ a: ok, b: ok }, false)).toBe('succeeded');
    expect(remoteStatus({ a: ok, b: failed }, false)).toBe('failed');
    expect(remoteStatus({ a: failed, b: ok }, true)).toBe('succeeded');
    expect(remoteStatus({ a: failed, b: failed }, true)).toBe('failed');
  });

  it('is timeout when the hosts examined up to the first failure all timed out (StackStorm quirk)', () => {
    expect(remoteStatus({ a: timedOut }, false)).toBe('timeout');
    // The loop stops at the first failure, so a later host that failed otherwise is not looked at.
    expect(remoteStatus({ a: timedOut, b: failed }, false)).toBe('timeout');
    expect(remoteStatus({ a: failed, b: timedOut }, false)).toBe('failed');
    expect(remoteStatus({ a: ok, b: timedOut }, false)).toBe('failed');
  });

  it('keeps what a host printed before it timed out, without the last newline', () => {
    const stdout = new CappedText(1024);
    stdout.push('partial\r\n', 9);
    const result = hostError('m', new Error('r'), {
      timeout: true,
      output: { stdout, stderr: new CappedText(1024), pty: true },
    });
    expect(result).toMatchObject({
      return_code: -9,
      timeout: true,
      stdout: 'partial',
      stderr: '',
      error: 'm r',
    });
  });
});

describe('process group report', () => {
  it('is cut out of the output, even when it arrives in pieces', () => {
    const report = new ProcessGroupReport();
    const marker = /printf '([^%]+)%s/.exec(report.wrap('true'))?.[1] ?? '';
    const line = Buffer.from(`${marker}4242\r\nafter\n`);
    const parts = [
      line.subarray(0, 5),
      line.subarray(5, marker.length + 2),
      line.subarray(marker.length + 2),
    ];
    const out = parts.map((part) => report.filter('stderr', part).toString()).join('');
    expect(out).toBe('after\n');
    expect(report.pgid).toBe(4242);
    expect(report.filter('stdout', Buffer.from('s')).toString()).toBe('s');
  });

  it('passes through output that is not the report, and gives back what it held at the end', () => {
    const report = new ProcessGroupReport();
    expect(report.filter('stdout', Buffer.from('hello')).toString()).toBe('hello');
    const marker = /printf '([^%]+)%s/.exec(report.wrap('true'))?.[1] ?? '';
    expect(report.filter('stderr', Buffer.from(marker.slice(0, 4))).toString()).toBe('');
    expect(report.flush('stderr').toString()).toBe(marker.slice(0, 4));
    expect(report.pgid).toBeUndefined();
  });
});
