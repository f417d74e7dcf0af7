import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureProducers, outputCapture } from './streaming.ts';
import { startSquall } from './support.ts';
const squall = await startSquall(mkdtempSync(join(tmpdir(), 'cap-')));
try { for (const p of captureProducers(256)) console.log(await outputCapture(squall, p, 256, 3)); } finally { await squall.stop(); }
