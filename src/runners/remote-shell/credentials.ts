/**
 * How a remote action logs in, decided as StackStorm's Paramiko runner decides it: a password
 * wins; else the `private_key` parameter (key material, or the path of a key file); else the
 * configured key file; Squall adds the ssh-agent as a last resort. Keys are checked before any
 * connection, so a wrong passphrase is reported as such rather than as a failed login.
 */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
// ssh2 is CommonJS; Node's named-export detection finds `Client` but not `utils`.
import ssh2 from 'ssh2';
import type { RemoteShellSettings } from './options.ts';

export interface SshCredentials {
  password?: string;
  privateKey?: Buffer;
  passphrase?: string;
  agent?: string;
}

export interface CredentialParameters {
  password: string | undefined;
  privateKey: string | undefined;
  passphrase: string | undefined;
}

/** A login that cannot be attempted; the message is StackStorm's where it has one. */
export class CredentialError extends Error {}

/** StackStorm's test for key material rather than a path (`REMOTE_RUNNER_PRIVATE_KEY_HEADER`). */
const KEY_HEADER = 'private key-----';

export async function resolveCredentials(
  params: CredentialParameters,
  settings: RemoteShellSettings,
  hostname: string,
): Promise<SshCredentials> {
  const { password, privateKey, passphrase } = params;
  if (password !== undefined) return { password };
  if (privateKey !== undefined) {
    if (privateKey.toLowerCase().includes(KEY_HEADER)) return keyMaterial(privateKey, passphrase);
    return keyFile(privateKey, passphrase);
  }
  const file = await firstExisting(settings.keyFiles);
  if (file !== undefined) return keyFile(file, passphrase);
  if (passphrase !== undefined) throw new CredentialError('passphrase should accompany private key material');
  if (settings.agentSocket !== undefined) return { agent: settings.agentSocket };
  throw new CredentialError(
    `Either password or key file location or key material should be supplied for action. You can also add an entry for host ${hostname} in SSH config file ~/.ssh/config.`,
  );
}

function keyMaterial(material: string, passphrase: string | undefined): SshCredentials {
  return checkedKey(Buffer.from(material), passphrase, undefined);
}

async function keyFile(path: string, passphrase: string | undefined): Promise<SshCredentials> {
  let key: Buffer;
  try {
    key = await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file' : (err as Error).message;
    // A value that is neither a path that exists nor key material: say what was expected.
    throw new CredentialError(
      path.includes('/')
        ? `Private key file ${path} cannot be read: ${reason}.`
        : '"private_key" parameter needs to contain private key data / content or the path of a key file',
    );
  }
  return checkedKey(key, passphrase, path);
}

/** The key, once it parses (with its passphrase); StackStorm's messages when it does not. */
function checkedKey(key: Buffer, passphrase: string | undefined, path: string | undefined): SshCredentials {
  const parsed = ssh2.utils.parseKey(key, passphrase);
  if (parsed instanceof Error) {
    const subject = path === undefined ? 'Private key material' : `Private key file ${path}`;
    if (passphrase === undefined && /passphrase/i.test(parsed.message)) {
      throw new CredentialError(`${subject} is passphrase protected. Supply a passphrase.`);
    }
    const reason =
      passphrase === undefined
        ? 'Invalid or unsupported key type'
        : 'Invalid passphrase or invalid/unsupported key type';
    throw new CredentialError(path === undefined ? reason : `${subject}: ${reason}`);
  }
  return { privateKey: key, ...(passphrase === undefined ? {} : { passphrase }) };
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path, constants.R_OK);
      return path;
    } catch {
      // Not there (or unreadable): the next candidate.
    }
  }
  return undefined;
}
