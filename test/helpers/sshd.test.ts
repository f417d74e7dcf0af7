/**
 * The private sshd the SSH runner tests log in to: a real OpenSSH client and the ssh2 package both
 * get in with the keys it hands out, and close() really stops it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithSshd } from './describe-with-sshd.ts';
import { startTestSshd, type TestSshd } from './sshd.ts';

interface Result {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a command through the OpenSSH client binary, non-interactively, trusting any host key. */
function runSsh(sshd: TestSshd, command: string): Promise<Result> {
  const args = [
    ...['-i', sshd.privateKeyFile, '-p', String(sshd.port)],
    ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes'],
    `${sshd.username}@${sshd.host}`,
    command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/ssh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/** Runs a command over one ssh2 connection and disconnects. */
function runSsh2(config: ConnectConfig, command: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('error', reject);
    client.on('ready', () => {
      client.exec(command, (error, stream) => {
        if (error) {
          client.end();
          reject(error);
          return;
        }
        let stdout = '';
        let stderr = '';
        stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        stream.on('close', (code: number | null) => {
          client.end();
          resolve({ stdout, stderr, code });
        });
      });
    });
    client.connect(config);
  });
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describeWithSshd('test sshd helper', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startTestSshd();
  });
  afterAll(async () => {
    await sshd?.close();
  });

  it('hands out the keys it promises', () => {
    expect(sshd.host).toBe('127.0.0.1');
    expect(sshd.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(statSync(sshd.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(sshd.encryptedKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n/);
    expect(sshd.encryptedKeyPassphrase).toBe('s3cret');
  });

  it('lets the OpenSSH client in with the ed25519 key file, keeping streams and exit code apart', async () => {
    const result = await runSsh(sshd, 'echo hello; echo err >&2; exit 3');
    expect(result.stdout, result.stderr).toBe('hello\n');
    expect(result.stderr.split(/\r?\n/)).toContain('err');
    expect(result.code).toBe(3);
  });

  it('lets ssh2 in with the passphrase-protected RSA PEM key', async () => {
    const result = await runSsh2(
      {
        host: sshd.host,
        port: sshd.port,
        username: sshd.username,
        privateKey: sshd.encryptedKey,
        passphrase: sshd.encryptedKeyPassphrase,
      },
      'id -un',
    );
    expect(result).toEqual({ stdout: `${sshd.username}\n`, stderr: '', code: 0 });
  });

  it('lets ssh2 in with the ed25519 key material', async () => {
    const result = await runSsh2(
      { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey },
      'echo ok',
    );
    expect(result.stdout).toBe('ok\n');
  });

  it('serves SFTP', async () => {
    const target = join(sshd.dir, 'sftp.txt');
    await new Promise<void>((resolve, reject) => {
      const client = new Client();
      client.on('error', reject);
      client.on('ready', () => {
        client.sftp((error, sftp) => {
          if (error) return reject(error);
          sftp.writeFile(target, 'via sftp', (writeError) => {
            client.end();
            if (writeError) reject(writeError);
            else resolve();
          });
        });
      });
      client.connect({
        host: sshd.host,
        port: sshd.port,
        username: sshd.username,
        privateKey: sshd.privateKey,
      });
    });
    expect(readFileSync(target, 'utf8')).toBe('via sftp');
  });

  it('runs instances side by side, and close() stops one and removes its dir', async () => {
    const other = await startTestSshd();
    expect(other.port).not.toBe(sshd.port);
    expect((await runSsh(other, 'echo second')).stdout).toBe('second\n');
    await other.close();
    expect(existsSync(other.dir)).toBe(false);
    expect(await portAcceptsConnections(other.port)).toBe(false);
    // The first one is untouched.
    expect((await runSsh(sshd, 'echo first')).stdout).toBe('first\n');
  });
});
