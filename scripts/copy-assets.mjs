// Copies what `tsc` does not emit (plain-SQL migrations, the Python action wrapper) next to the
// compiled modules in dist/.
// The target folder is replaced, not merged: a migration renamed or removed in src/ must not live
// on in dist/, where the migrator would find it.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

for (const backend of readdirSync('src/store', { withFileTypes: true })) {
  const from = join('src/store', backend.name, 'migrations');
  if (!backend.isDirectory() || !existsSync(from)) continue;
  const to = join('dist/store', backend.name, 'migrations');
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

const wrapper = 'runners/python/wrapper';
rmSync(join('dist', wrapper), { recursive: true, force: true });
cpSync(join('src', wrapper), join('dist', wrapper), {
  recursive: true,
  filter: (path) => !path.includes('__pycache__'),
});
