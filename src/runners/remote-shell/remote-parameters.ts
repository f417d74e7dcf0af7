/** The runner parameters both remote runners read (spec §7.3), typed once. */
import type { Json, JsonObject } from '../../domain/types.ts';
import { parseHosts, splitHostPort, type RemoteHost } from './hosts.ts';

export interface RemoteParameters {
  hosts: RemoteHost[];
  /** The `hosts` entries as given, for messages (StackStorm prints the list). */
  hostEntries: string[];
  username: string | undefined;
  password: string | undefined;
  privateKey: string | undefined;
  passphrase: string | undefined;
  port: number | undefined;
  bastion: RemoteHost | undefined;
  parallel: boolean;
  sudo: boolean;
  sudoPassword: string | undefined;
  cwd: string | undefined;
  env: Record<string, Json>;
  kwargOp: string;
  timeoutSeconds: number;
  /** Where scripts are uploaded to (a folder per execution is made inside). */
  dir: string;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

/** Throws with StackStorm's pre-run message when no host is given, or a host entry is malformed. */
export function readRemoteParameters(params: JsonObject, liveactionId: string): RemoteParameters {
  const hostList = typeof params.hosts === 'string' ? params.hosts : '';
  const hostEntries = hostList
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hostEntries.length === 0)
    throw new Error(`No hosts specified to run action for action ${liveactionId}.`);
  const env = params.env;
  return {
    hosts: parseHosts(hostList),
    hostEntries,
    username: nonEmpty(params.username),
    password: nonEmpty(params.password),
    privateKey: nonEmpty(params.private_key),
    passphrase: nonEmpty(params.passphrase),
    port: typeof params.port === 'number' ? params.port : undefined,
    bastion:
      nonEmpty(params.bastion_host) === undefined ? undefined : splitHostPort(String(params.bastion_host)),
    // StackStorm reads a missing `parallel` as true; the runner type's default is false.
    parallel: params.parallel !== false,
    sudo: params.sudo === true,
    sudoPassword: nonEmpty(params.sudo_password),
    cwd: nonEmpty(params.cwd),
    env: env !== null && typeof env === 'object' && !Array.isArray(env) ? env : {},
    kwargOp: typeof params.kwarg_op === 'string' ? params.kwarg_op : '--',
    timeoutSeconds: typeof params.timeout === 'number' ? params.timeout : DEFAULT_TIMEOUT_SECONDS,
    dir: nonEmpty(params.dir) ?? '/tmp',
  };
}

function nonEmpty(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
