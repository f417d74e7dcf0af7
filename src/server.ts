/**
 * Composition root: wires store, runners, engine and API for one `squall serve` process. The entry
 * point (`main.ts`) gives it a parsed config and owns signals and exit; tests start it on port 0.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './api/app.ts';
import { createAuthService } from './auth/index.ts';
import type { Config } from './config.ts';
import { registerPacks } from './engine/catalog/pack-loader.ts';
import { loadOrCreateKey } from './engine/datastore/crypto.ts';
import { Engine } from './engine/engine.ts';
import type { RetentionPolicy } from './engine/retention.ts';
import { RUNNER_TYPES } from './runners/catalog.ts';
import { deadLocalOwner, ownerId } from './engine/cluster/owner-id.ts';
import { createSshSessionPool } from './runners/remote-shell/session-pool.ts';
import { createFifoPool } from './runners/process/fifo-pool.ts';
import { isProcessAlive } from './runners/process/liveness.ts';
import { readPackConfig } from './runners/shared/pack-config.ts';
import { createRunners } from './runners/registry.ts';
import { openPostgresStore } from './store/postgres/index.ts';
import { openSqliteStore } from './store/sqlite/index.ts';
import type { Store } from './store/store.ts';

export const BUILTIN_PACKS = join(dirname(fileURLToPath(import.meta.url)), '..', 'packs');
const SYSTEM_USER = 'stanley';

export interface RunningServer {
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  /** `http://host:port` actually listened on; empty for a worker, which does not listen. */
  url: string;
  /**
   * The API key of the admin created on this first start (auth on, no admin yet): shown once by
   * the entry point, never stored.
   */
  adminApiKey: string | undefined;
  /** Stops accepting requests, drains running actions within the grace period, closes the store. */
  stop(): Promise<void>;
}

export interface ServerEnvironment {
  /** Environment actions inherit (the server's own, as StackStorm's runners do). */
  actionEnv: NodeJS.ProcessEnv;
}

/** The store the configuration names: PostgreSQL when a database URL is given, else the SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl)
    return openPostgresStore({ url: config.databaseUrl, schema: config.databaseSchema });
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteStore({ path: join(config.dataDir, 'squall.db'), backgroundCheckpointMs: 100 });
}

/** The garbage collection policy the configuration asks for. */
export function retentionPolicy(config: Config): RetentionPolicy {
  return { executionsTtlDays: config.executionsTtlDays, outputTtlDays: config.outputTtlDays, batchSize: 500 };
}

/**
 * This kernel boot and pid namespace, hashed: processes sharing it see each other's pids (see
 * engine/cluster/owner-id.ts). Undefined off Linux, where the reaper just waits for expiry.
 */
function machineKey(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = readlinkSync('/proc/self/ns/pid');
    return createHash('sha256').update(`${boot} ${pidNamespace}`).digest('hex').slice(0, 12);
  } catch {
    return undefined;
  }
}

export async function startServer(config: Config, environment: ServerEnvironment): Promise<RunningServer> {
  const store = await openStore(config);
  // The engine reports through the API's logger, which exists only once the API is built.
  const logTo: { app?: FastifyInstance } = {};
  const onError = (error: unknown, context: string): void => {
    if (logTo.app) logTo.app.log.error({ err: error }, context);
    else console.error(context, error);
  };
  const machine = machineKey();
  // Unique even where every process is pid 1 on the same hostname (containers).
  const owner = ownerId(hostname(), process.pid, randomBytes(3).toString('hex'), machine);
  const fifos = createFifoPool();
  const sshSessions = createSshSessionPool({ idleMs: config.ssh.reuseSeconds * 1000 });
  const configsDir = join(config.dataDir, 'configs');
  const auth = createAuthService(store, {
    dataDir: config.dataDir,
    enabled: config.auth,
    systemUser: SYSTEM_USER,
    tokenTtlSeconds: config.authTokenTtlSeconds,
    permissionIsolation: config.permissionIsolation,
    onProblem: (problem) => onError(new Error(problem), 'RBAC file skipped'),
  });
  const engine = await Engine.create(
    {
      store,
      runnerTypes: RUNNER_TYPES,
      runners: createRunners({
        baseEnv: environment.actionEnv,
        fifos,
        virtualenvsDir: join(config.dataDir, 'virtualenvs'),
        configsDir,
        sshUsername: config.ssh.user,
        sshKeyFiles: config.ssh.keyFiles,
        ...(config.ssh.agentSocket === undefined ? {} : { sshAgentSocket: config.ssh.agentSocket }),
        sshConnectTimeoutMs: config.ssh.connectTimeoutSeconds * 1000,
        sshMaxParallel: config.ssh.maxParallel,
        sshAllowPartialFailure: config.ssh.allowPartialFailure,
        sshSessions,
        ...(config.ssh.knownHostsFile === undefined ? {} : { sshKnownHostsFile: config.ssh.knownHostsFile }),
      }),
      packConfig: (pack: string) => readPackConfig(configsDir, pack),
      datastoreKey: loadOrCreateKey(join(config.dataDir, 'datastore.key')),
      ...(config.auth
        ? {
            actionToken: async (user: string) => {
              const { record, token } = await auth.issueToken(user, undefined);
              return { token, revoke: () => auth.revokeToken(record.id) };
            },
          }
        : {}),
    },
    {
      runnerPoolSize: config.runnerPoolSize,
      role: config.role,
      leaseMs: config.leaseTimeoutSeconds * 1000,
      owner,
      ...(machine ? { deadOwner: deadLocalOwner(machine, isProcessAlive, owner) } : {}),
      apiUrl: config.apiUrl,
      maxOutputBytesPerStream: config.maxOutputBytes,
      retention: { ...retentionPolicy(config), intervalMs: config.gcIntervalSeconds * 1000 },
      onRetention: (report) => logTo.app?.log.info(report, 'garbage collected'),
      onError,
    },
  );
  const app = buildApi({
    engine,
    auth,
    webUiBaseUrl: config.webUiBaseUrl,
    bodyLimit: config.bodyLimit,
    logLevel: config.logLevel,
    allowOrigins: ['http://127.0.0.1:3000', 'http://localhost:8080', 'http://127.0.0.1:8080'],
    streamHeartbeatSeconds: config.streamHeartbeatSeconds,
    streamMaxBufferedBytes: config.streamBufferBytes,
  });
  logTo.app = app;
  const packs = await registerPacksRetrying(store, [BUILTIN_PACKS, ...config.packsPaths], engine);
  for (const problem of packs.problems) app.log.warn({ problem }, 'pack content skipped');
  app.log.info({ packs: packs.packs, actions: packs.actions }, 'packs registered');
  // A worker serves no requests: the first admin is made where clients come in.
  const adminApiKey = config.role === 'worker' ? undefined : await auth.bootstrapAdmin();
  const recovered = await engine.start();
  if (recovered.requeued + recovered.abandoned + recovered.canceled > 0) {
    app.log.warn(recovered, 'recovered executions interrupted by a previous stop');
  }
  // A worker serves no HTTP: its Fastify instance is only its logger.
  let url = '';
  if (config.role !== 'worker') {
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = `http://${config.host}:${port}`;
    // `--port 0`: the API URL actions call back names the port the system picked.
    if (new URL(config.apiUrl).port === '0') engine.useApiUrl(`${url}/api/v1`);
  }
  app.log.info({ role: config.role, url: url || undefined }, 'squall started');
  const server = app;
  return {
    app,
    engine,
    store,
    adminApiKey,
    url,
    async stop() {
      // Connections still open after the grace period are cut: a client socket that connected but
      // never sent a request is not "idle" to Node and would hold close() for its headersTimeout.
      const cut = setTimeout(() => server.server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await server.close();
      clearTimeout(cut);
      await engine.shutdown(config.shutdownGraceSeconds * 1000);
      fifos.close();
      sshSessions.close();
      await store.close();
    },
  };
}

/**
 * Processes starting together against a fresh shared database race to register the same actions;
 * the loser's insert fails on the unique ref. Registering is idempotent, so it simply goes again,
 * and then finds the winner's rows.
 */
async function registerPacksRetrying(
  store: Store,
  paths: readonly string[],
  engine: Engine,
): ReturnType<typeof registerPacks> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await registerPacks(store, paths, (name) => engine.runnerTypes.byNameOrId(name));
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
