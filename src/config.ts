/**
 * Configuration, parsed once from command-line options and the environment, validated, frozen.
 * Only the entry point calls `loadConfig`; everything else receives the `Config` it needs.
 */
import { homedir, hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

/** What a `squall serve` process does; `api` and `worker` need a shared (PostgreSQL) database. */
export type Role = 'api' | 'worker' | 'all';
const ROLES: readonly Role[] = ['api', 'worker', 'all'];

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** A `postgres://` URL to use PostgreSQL instead of the embedded SQLite file. */
  readonly databaseUrl: string | undefined;
  /** The PostgreSQL schema Squall's tables live in (several Squalls can share one database). */
  readonly databaseSchema: string;
  /** Extra pack folders; Squall's own `packs/` is always loaded first. */
  readonly packsPaths: readonly string[];
  readonly runnerPoolSize: number;
  /** Seconds running actions get to finish on SIGTERM before they are stopped. */
  readonly shutdownGraceSeconds: number;
  readonly webUiBaseUrl: string;
  readonly logLevel: string;
  /** Largest request body accepted, bytes. */
  readonly bodyLimit: number;
  /** Output stored per execution and stream (stdout, stderr), bytes; the rest is counted, not kept. */
  readonly maxOutputBytes: number;
  /** Seconds without events after which the event stream sends a keep-alive. */
  readonly streamHeartbeatSeconds: number;
  /** Unread bytes a stream client may fall behind by before it is disconnected. */
  readonly streamBufferBytes: number;
  /** Days completed executions are kept (0: forever, StackStorm's default). */
  readonly executionsTtlDays: number;
  /** Days output is kept (0: forever; StackStorm's default is 7). */
  readonly outputTtlDays: number;
  /** Seconds between garbage collection passes. */
  readonly gcIntervalSeconds: number;
  /**
   * The API actions reach back (`ST2_ACTION_API_URL`): this process's own by default; a worker,
   * which serves none, is given the API processes' address.
   */
  readonly apiUrl: string;
  /** Whether requests need a token or API key (StackStorm's `auth.enable`). */
  readonly auth: boolean;
  /** Default and maximum lifetime of login tokens, seconds. */
  readonly authTokenTtlSeconds: number;
  /** Non-admin users see only their own executions (StackStorm's `rbac.permission_isolation`). */
  readonly permissionIsolation: boolean;
  /** HTTP API only, action runs only, or both. */
  readonly role: Role;
  /** Seconds a worker's claim on an execution lasts without a heartbeat. */
  readonly leaseTimeoutSeconds: number;
  /** The remote runners' login (StackStorm's `system_user` and `ssh_runner` sections). */
  readonly ssh: SshConfig;
}

export interface SshConfig {
  /** Who remote actions log in as unless they name a `username`. */
  readonly user: string;
  /** Key files tried, the first that exists, when an action gives no password or key. */
  readonly keyFiles: readonly string[];
  /** `SSH_AUTH_SOCK`: an agent to ask when there is no key file either. */
  readonly agentSocket: string | undefined;
  readonly connectTimeoutSeconds: number;
  /** Most hosts one execution works on at once. */
  readonly maxParallel: number;
  /** A remote execution succeeds when any of its hosts did. */
  readonly allowPartialFailure: boolean;
  /** Seconds an SSH login is kept for the next execution on that host (0: one per execution). */
  readonly reuseSeconds: number;
  /** A known_hosts file host keys are checked against; undefined accepts any key (StackStorm). */
  readonly knownHostsFile: string | undefined;
}

export class ConfigError extends Error {}

interface OptionSpec {
  flag: string;
  env: string;
  parse: (raw: string, name: string) => unknown;
}

const text = (raw: string): string => raw;
const positiveInt = (raw: string, name: string): number => {
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
};
const nonNegativeInt = (raw: string, name: string): number => {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
};
const bool = (raw: string, name: string): boolean => {
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
};
const port = (raw: string, name: string): number => {
  const n = nonNegativeInt(raw, name);
  if (n > 65535) throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`);
  return n;
};

const role = (raw: string, name: string): Role => {
  const found = ROLES.find((r) => r === raw);
  if (!found) throw new ConfigError(`${name} must be one of api, worker, all, got "${raw}"`);
  return found;
};

const OPTIONS = {
  host: { flag: '--host', env: 'SQUALL_HOST', parse: text },
  port: { flag: '--port', env: 'SQUALL_PORT', parse: port },
  dataDir: { flag: '--data-dir', env: 'SQUALL_DATA_DIR', parse: text },
  database: { flag: '--database', env: 'SQUALL_DATABASE_URL', parse: text },
  databaseSchema: { flag: '--database-schema', env: 'SQUALL_DATABASE_SCHEMA', parse: text },
  packsPath: { flag: '--packs-path', env: 'SQUALL_PACKS_PATH', parse: text },
  runnerPoolSize: { flag: '--runner-pool-size', env: 'SQUALL_RUNNER_POOL_SIZE', parse: positiveInt },
  shutdownGrace: { flag: '--shutdown-grace', env: 'SQUALL_SHUTDOWN_GRACE', parse: nonNegativeInt },
  webUiBaseUrl: { flag: '--webui-base-url', env: 'SQUALL_WEBUI_BASE_URL', parse: text },
  logLevel: { flag: '--log-level', env: 'SQUALL_LOG_LEVEL', parse: text },
  bodyLimit: { flag: '--body-limit', env: 'SQUALL_BODY_LIMIT', parse: positiveInt },
  maxOutputBytes: { flag: '--max-output-bytes', env: 'SQUALL_MAX_OUTPUT_BYTES', parse: positiveInt },
  streamHeartbeat: { flag: '--stream-heartbeat', env: 'SQUALL_STREAM_HEARTBEAT', parse: positiveInt },
  streamBufferBytes: { flag: '--stream-buffer-bytes', env: 'SQUALL_STREAM_BUFFER_BYTES', parse: positiveInt },
  executionsTtl: { flag: '--executions-ttl-days', env: 'SQUALL_EXECUTIONS_TTL_DAYS', parse: nonNegativeInt },
  outputTtl: { flag: '--output-ttl-days', env: 'SQUALL_OUTPUT_TTL_DAYS', parse: nonNegativeInt },
  gcInterval: { flag: '--gc-interval', env: 'SQUALL_GC_INTERVAL', parse: positiveInt },
  auth: { flag: '--auth', env: 'SQUALL_AUTH', parse: bool },
  authTokenTtl: { flag: '--auth-token-ttl', env: 'SQUALL_AUTH_TOKEN_TTL', parse: positiveInt },
  permissionIsolation: { flag: '--permission-isolation', env: 'SQUALL_PERMISSION_ISOLATION', parse: bool },
  role: { flag: '--role', env: 'SQUALL_ROLE', parse: role },
  leaseTimeout: { flag: '--lease-timeout', env: 'SQUALL_LEASE_TIMEOUT', parse: positiveInt },
  apiUrl: { flag: '--api-url', env: 'SQUALL_API_URL', parse: text },
  sshUser: { flag: '--ssh-user', env: 'SQUALL_SSH_USER', parse: text },
  sshKeyFile: { flag: '--ssh-key-file', env: 'SQUALL_SSH_KEY_FILE', parse: text },
  sshConnectTimeout: { flag: '--ssh-connect-timeout', env: 'SQUALL_SSH_CONNECT_TIMEOUT', parse: positiveInt },
  sshMaxParallel: { flag: '--ssh-max-parallel', env: 'SQUALL_SSH_MAX_PARALLEL', parse: positiveInt },
  sshReuse: { flag: '--ssh-reuse-seconds', env: 'SQUALL_SSH_REUSE_SECONDS', parse: nonNegativeInt },
  sshKnownHosts: { flag: '--ssh-known-hosts', env: 'SQUALL_SSH_KNOWN_HOSTS', parse: text },
  sshAllowPartialFailure: {
    flag: '--ssh-allow-partial-failure',
    env: 'SQUALL_SSH_ALLOW_PARTIAL_FAILURE',
    parse: bool,
  },
} satisfies Record<string, OptionSpec>;
type OptionName = keyof typeof OPTIONS;

export const USAGE = `Usage: squall serve|gc|user [options]

Options (each also settable through the environment variable shown):
  --host HOST               address to listen on            SQUALL_HOST       (127.0.0.1)
  --port PORT               port to listen on               SQUALL_PORT       (9101)
  --data-dir DIR            where the SQLite store lives    SQUALL_DATA_DIR   (./.squall)
  --database URL            PostgreSQL instead of SQLite    SQUALL_DATABASE_URL (postgres://…)
  --database-schema NAME    PostgreSQL schema for the tables   SQUALL_DATABASE_SCHEMA (public)
  --packs-path DIRS         extra pack folders, colon-separated   SQUALL_PACKS_PATH
  --runner-pool-size N      actions run at once             SQUALL_RUNNER_POOL_SIZE (64)
  --shutdown-grace SECONDS  time running actions get on SIGTERM   SQUALL_SHUTDOWN_GRACE (10)
  --webui-base-url URL      base of execution web_url links SQUALL_WEBUI_BASE_URL
  --log-level LEVEL         fatal|error|warn|info|debug     SQUALL_LOG_LEVEL  (info)
  --body-limit BYTES        largest request body            SQUALL_BODY_LIMIT (16777216)
  --max-output-bytes BYTES  output stored per stream        SQUALL_MAX_OUTPUT_BYTES (67108864)
  --stream-heartbeat SECS   event stream keep-alive         SQUALL_STREAM_HEARTBEAT (25)
  --stream-buffer-bytes N   unread bytes before a slow stream client is dropped
                                                            SQUALL_STREAM_BUFFER_BYTES (8388608)
  --executions-ttl-days N   keep completed executions N days (0: forever)
                                                            SQUALL_EXECUTIONS_TTL_DAYS (0)
  --output-ttl-days N       keep output N days (0: forever) SQUALL_OUTPUT_TTL_DAYS (7)
  --gc-interval SECONDS     between garbage collections     SQUALL_GC_INTERVAL (600)
  --auth true|false         require a token or API key      SQUALL_AUTH       (true)
  --auth-token-ttl SECONDS  default and longest token life  SQUALL_AUTH_TOKEN_TTL (86400)
  --permission-isolation true|false
                            non-admins see only their own executions
                                                            SQUALL_PERMISSION_ISOLATION (false)
  --role api|worker|all     serve HTTP, run actions, or both (api and worker need --database)
                                                            SQUALL_ROLE       (all)
  --lease-timeout SECONDS   a worker silent this long loses its executions (abandoned)
                                                            SQUALL_LEASE_TIMEOUT (30)
  --api-url URL             the API actions call back (ST2_ACTION_API_URL), e.g. a load balancer
                                                            SQUALL_API_URL    (http://HOST:PORT/api/v1)
  --ssh-user NAME           remote actions' login unless they give a username
                                                            SQUALL_SSH_USER   (the user Squall runs as)
  --ssh-key-file PATH       their key unless they give a password or key (else SSH_AUTH_SOCK's agent)
                                                            SQUALL_SSH_KEY_FILE (~/.ssh/id_ed25519, id_ecdsa, id_rsa)
  --ssh-connect-timeout SECS                                SQUALL_SSH_CONNECT_TIMEOUT (60)
  --ssh-max-parallel N      hosts one remote execution works on at once
                                                            SQUALL_SSH_MAX_PARALLEL (50)
  --ssh-allow-partial-failure true|false
                            a remote execution succeeds if any host did
                                                            SQUALL_SSH_ALLOW_PARTIAL_FAILURE (false)
  --ssh-reuse-seconds N     keep an SSH login N seconds for the next execution on that host
                            (0: log in for every execution, as StackStorm)
                                                            SQUALL_SSH_REUSE_SECONDS (30)
  --ssh-known-hosts FILE    check host keys against this known_hosts file (default: accept any
                            key, as StackStorm)                SQUALL_SSH_KNOWN_HOSTS

squall user add NAME [--role ROLE] [--data-dir DIR]: add a user to the password file (or change
their password), reading the password from stdin; --role writes rbac/assignments/NAME.yaml.

squall gc [options]: one garbage collection pass with the same --data-dir/--database and TTL
options, then exit.
`;

function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new ConfigError(
      `--database must be a postgres:// URL, got "${value.replace(/\/\/[^@]*@/, '//…@')}"`,
    );
  }
  return value;
}

/** Parses `serve` options; flags win over the environment, which wins over defaults. */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const raw = new Map<OptionName, string>();
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec][]) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') raw.set(name, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const entry = (Object.entries(OPTIONS) as [OptionName, OptionSpec][]).find(([, s]) => s.flag === flag);
    if (!entry) throw new ConfigError(`unknown option "${arg}"\n\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`option ${flag} needs a value`);
    raw.set(entry[0], value);
  }
  const get = <T>(name: OptionName, fallback: T): T => {
    const value = raw.get(name);
    return value === undefined ? fallback : (OPTIONS[name].parse(value, OPTIONS[name].flag) as T);
  };
  const logLevel = get('logLevel', 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  const chosenRole = get<Role>('role', 'all');
  const database = databaseUrl(raw.get('database'));
  if (chosenRole !== 'all' && database === undefined) {
    throw new ConfigError(
      `--role ${chosenRole} needs a shared PostgreSQL database (--database postgres://…); the embedded SQLite store serves one process, so use --role all`,
    );
  }
  return Object.freeze({
    host: get('host', '127.0.0.1'),
    port: get('port', 9101),
    dataDir: resolve(get('dataDir', './.squall')),
    databaseUrl: database,
    databaseSchema: get('databaseSchema', 'public'),
    packsPaths: Object.freeze(
      get('packsPath', '')
        .split(':')
        .filter((p) => p !== '')
        .map((p) => resolve(p)),
    ),
    runnerPoolSize: get('runnerPoolSize', 64),
    shutdownGraceSeconds: get('shutdownGrace', 10),
    webUiBaseUrl: get('webUiBaseUrl', `https://${hostname()}`),
    logLevel,
    bodyLimit: get('bodyLimit', 16 * 1024 * 1024),
    maxOutputBytes: get('maxOutputBytes', 64 * 1024 * 1024),
    streamHeartbeatSeconds: get('streamHeartbeat', 25),
    streamBufferBytes: get('streamBufferBytes', 8 * 1024 * 1024),
    executionsTtlDays: get('executionsTtl', 0),
    outputTtlDays: get('outputTtl', 7),
    gcIntervalSeconds: get('gcInterval', 600),
    auth: get('auth', true),
    authTokenTtlSeconds: get('authTokenTtl', 86400),
    permissionIsolation: get('permissionIsolation', false),
    role: chosenRole,
    leaseTimeoutSeconds: get('leaseTimeout', 30),
    ssh: Object.freeze({
      user: get('sshUser', userInfo().username),
      keyFiles: Object.freeze(
        raw.has('sshKeyFile')
          ? [resolve(get('sshKeyFile', ''))]
          : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(homedir(), '.ssh', name)),
      ),
      agentSocket: env.SSH_AUTH_SOCK === '' ? undefined : env.SSH_AUTH_SOCK,
      connectTimeoutSeconds: get('sshConnectTimeout', 60),
      maxParallel: get('sshMaxParallel', 50),
      allowPartialFailure: get('sshAllowPartialFailure', false),
      reuseSeconds: get('sshReuse', 30),
      knownHostsFile: raw.has('sshKnownHosts') ? resolve(get('sshKnownHosts', '')) : undefined,
    }),
    apiUrl: get('apiUrl', `http://${get('host', '127.0.0.1')}:${get('port', 9101)}/api/v1`),
  });
}
