#!/usr/bin/env node
// Runs Squall from its TypeScript sources through tsx, so `npx squall …` works from a clone.
import { tsImport } from 'tsx/esm/api';

await tsImport('../src/main.ts', import.meta.url);
