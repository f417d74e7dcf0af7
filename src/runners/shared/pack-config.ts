/**
 * A pack's configuration: `<configs dir>/<pack>.yaml`, as StackStorm keeps them in
 * /opt/stackstorm/configs. Python actions get it as `self.config`; parameter templates read it as
 * `config_context`. A pack without one has an empty configuration.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Json, JsonObject } from '../../domain/types.ts';

export async function readPackConfig(configsDir: string | undefined, pack: string): Promise<JsonObject> {
  if (!configsDir) return {};
  const path = join(configsDir, `${pack}.yaml`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let config: Json;
  try {
    config = parseYaml(text) as Json;
  } catch (error) {
    throw new Error(
      `Pack config "${path}" is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (config === null || config === undefined) return {};
  if (typeof config !== 'object' || Array.isArray(config))
    throw new Error(`Pack config "${path}" is not a mapping`);
  return config;
}
