// Copies what `tsc` does not emit (plain-SQL migrations) next to the compiled modules in dist/.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

for (const backend of readdirSync('src/store', { withFileTypes: true })) {
  const from = join('src/store', backend.name, 'migrations');
  if (backend.isDirectory() && existsSync(from))
    cpSync(from, join('dist/store', backend.name, 'migrations'), { recursive: true });
}
