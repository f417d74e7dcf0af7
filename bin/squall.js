#!/usr/bin/env node
// Runs Squall from its TypeScript sources through tsx, so `npx squall …` works from a clone:
// `squall serve`, `squall gc` and `squall user` (which writes the server's password file) start
// src/main.ts; every other command is the HTTP client, which never loads the server's modules (a
// quick start for each command).
import process from 'node:process';
import { tsImport } from 'tsx/esm/api';

const command = process.argv[2];
if (command === 'serve' || command === 'gc' || command === 'user') {
  await tsImport('../src/main.ts', import.meta.url);
} else {
  const { main } = await tsImport('../src/cli/entry.ts', import.meta.url);
  await main();
}
