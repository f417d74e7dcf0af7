/** Every client command, in the order help lists them. */
import type { Command } from '../command.ts';
import { authCommands } from './auth.ts';
import { catalogCommands } from './catalog.ts';
import { executionCommands } from './execution.ts';
import { inquiryCommands } from './inquiries.ts';
import { keyCommands } from './keys.ts';
import { runCommand } from './run.ts';

export const COMMANDS: readonly Command[] = [
  runCommand,
  ...executionCommands,
  ...catalogCommands,
  ...inquiryCommands,
  ...keyCommands,
  ...authCommands,
];
