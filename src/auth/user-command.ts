/**
 * `squall user add NAME [--role ROLE] [--data-dir DIR]`: adds a user to the password file, or
 * changes their password, with the password read from stdin (first line); `--role` also writes
 * their role assignment. The entry point supplies argv, the environment and stdin.
 */
import { resolve } from 'node:path';
import { passwordFilePath } from './index.ts';
import { PasswordFile, PasswordFileError } from './passwords.ts';
import { writeAssignment } from './rbac-files.ts';

export class UserCommandError extends Error {}

export interface UserCommandIo {
  env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
  write(text: string): void;
}

export async function runUserCommand(argv: readonly string[], io: UserCommandIo): Promise<void> {
  const [sub, name, ...rest] = argv;
  if (sub !== 'add' || !name || name.startsWith('-')) {
    throw new UserCommandError('usage: squall user add NAME [--role ROLE] [--data-dir DIR] < password');
  }
  let dataDir = io.env['SQUALL_DATA_DIR'] || './.squall';
  const roles: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') throw new UserCommandError(`option ${flag} needs a value`);
    if (flag === '--data-dir') dataDir = value;
    else if (flag === '--role') roles.push(value);
    else throw new UserCommandError(`unknown option "${arg}"`);
  }
  const password = (await io.readStdin()).split('\n')[0]?.replace(/\r$/, '') ?? '';
  const dir = resolve(dataDir);
  try {
    await new PasswordFile(passwordFilePath(dir)).set(name, password);
  } catch (error) {
    if (error instanceof PasswordFileError) throw new UserCommandError(error.message);
    throw error;
  }
  io.write(`user "${name}" saved in ${passwordFilePath(dir)}\n`);
  if (roles.length > 0)
    io.write(`roles ${roles.join(', ')} assigned in ${writeAssignment(dir, name, roles)}\n`);
}
