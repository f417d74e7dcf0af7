/**
 * The CLI's entry point: the one place the client reads the process's environment, streams and
 * argv and sets its exit code. `bin/squall.js` calls it for every command but `serve`, `gc`
 * and `user`.
 */
import { EXIT } from './errors.ts';
import { runCli } from './main.ts';

export async function main(): Promise<void> {
  try {
    process.exitCode = await runCli(process.argv.slice(2), {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      stdinIsTTY: process.stdin.isTTY === true,
      ...(process.stdin.isTTY ? { setRawMode: (raw: boolean) => process.stdin.setRawMode(raw) } : {}),
    });
  } catch (error) {
    // A bug, not a refusal: the whole stack, and the code of an error (never "failed", 1).
    console.error(error);
    process.exitCode = EXIT.error;
  }
}
