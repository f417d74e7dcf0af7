/**
 * The entry point: the only place that reads the environment and argv, installs signal handlers
 * and exits. Everything else is wired in `server.ts`.
 */
import { runUserCommand, UserCommandError } from './auth/user-command.ts';
import { ConfigError, loadConfig, USAGE } from './config.ts';
import { nowMicros } from './domain/time.ts';
import { collectGarbage } from './engine/retention.ts';
import { openStore, retentionPolicy, startServer } from './server.ts';

async function main(argv: readonly string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'gc') {
    const config = loadConfig(rest, process.env);
    const store = await openStore(config);
    try {
      const report = await collectGarbage(store, retentionPolicy(config), nowMicros());
      process.stdout.write(`${JSON.stringify({ deleted: report })}\n`);
    } finally {
      await store.close();
    }
    return;
  }
  if (command === 'user') {
    await runUserCommand(rest, {
      env: process.env,
      readStdin: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
      write: (text) => process.stdout.write(text),
    });
    return;
  }
  if (command !== 'serve') throw new ConfigError(`unknown command "${command}"\n\n${USAGE}`);
  const server = await startServer(loadConfig(rest, process.env), { actionEnv: process.env });
  if (server.adminApiKey) {
    // Shown once: only its hash is stored.
    process.stdout.write(
      `Created the admin user's API key (shown only this once). Use it: export ST2_API_KEY=${server.adminApiKey}\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: no new work, draining running actions');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UserCommandError) {
    process.stderr.write(`squall: ${error.message}\n`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
