/**
 * Where the CLI finds its server and credentials: flags, then the environment, then the config
 * file ($XDG_CONFIG_HOME/squall/config.yaml), then the token `squall login` saved. Only the CLI
 * entry calls this; commands receive the resolved `Settings`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_URL = 'http://127.0.0.1:9101';

export interface Settings {
  url: string;
  apiKey: string | undefined;
  token: string | undefined;
  /** The credential sent and where it came from: "the API key from ST2_API_KEY", … */
  credentialFrom: string | undefined;
  /** Why the token `squall login` saved was not used, when it was not (expired, another server). */
  savedTokenUnused: string | undefined;
  /** Folder of config.yaml and the saved token. */
  configDir: string;
}

export interface SettingFlags {
  url?: string | undefined;
  apiKey?: string | undefined;
  token?: string | undefined;
  config?: string | undefined;
}

interface ConfigFile {
  url?: string;
  api_key?: string;
  token?: string;
}

export interface SavedToken {
  url: string;
  user: string;
  token: string;
  expiry: string | undefined;
}

export function configDir(env: Env): string {
  if (env['SQUALL_CONFIG_DIR']) return env['SQUALL_CONFIG_DIR'];
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] ?? '.', '.config');
  return join(base, 'squall');
}

/**
 * StackStorm's URLs name the API (`…/api/v1`, `…/v1`) or a bare host whose API is on port 9101;
 * Squall serves everything from one origin, so only that origin is kept.
 */
export function originOf(raw: string, from: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${from} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${from} must be an http:// or https:// URL, got "${raw}"`);
  const path = url.pathname.replace(/\/+$/, '').replace(/(\/api)?\/v1$/, '');
  return `${url.origin}${path}`;
}

function readConfigFile(path: string, explicit: boolean): ConfigFile {
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`config file not found: ${path}`);
    return {};
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${path} must hold a YAML mapping`);
  const file: ConfigFile = {};
  for (const key of ['url', 'api_key', 'token'] as const) {
    const value = (doc as Record<string, unknown>)[key];
    if (typeof value === 'string') file[key] = value;
  }
  return file;
}

export function tokenPath(dir: string): string {
  return join(dir, 'token.json');
}

export function readSavedToken(dir: string): SavedToken | undefined {
  try {
    const saved = JSON.parse(readFileSync(tokenPath(dir), 'utf8')) as Partial<SavedToken>;
    if (typeof saved.token !== 'string' || typeof saved.url !== 'string') return undefined;
    return { url: saved.url, user: String(saved.user ?? ''), token: saved.token, expiry: saved.expiry };
  } catch {
    return undefined;
  }
}

export function saveToken(dir: string, token: SavedToken): string {
  const path = tokenPath(dir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
  return path;
}

export function forgetToken(dir: string): boolean {
  const path = tokenPath(dir);
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}

export function resolveSettings(flags: SettingFlags, env: Env, nowMs: number): Settings {
  const dir = configDir(env);
  const file = readConfigFile(flags.config ?? join(dir, 'config.yaml'), flags.config !== undefined);
  const [rawUrl, from] = flags.url
    ? [flags.url, '--url']
    : env['SQUALL_URL']
      ? [env['SQUALL_URL'], 'SQUALL_URL']
      : env['ST2_API_URL']
        ? [env['ST2_API_URL'], 'ST2_API_URL']
        : env['ST2_BASE_URL']
          ? [withApiPort(env['ST2_BASE_URL']), 'ST2_BASE_URL']
          : file.url
            ? [file.url, 'url in the config file']
            : [DEFAULT_URL, 'the default URL'];
  const url = originOf(rawUrl, from);
  const apiKey = first([
    [flags.apiKey, 'the API key from --api-key'],
    [env['SQUALL_API_KEY'], 'the API key from SQUALL_API_KEY'],
    [env['ST2_API_KEY'], 'the API key from ST2_API_KEY'],
    [file.api_key, 'the API key from the config file'],
  ]);
  let token = first([
    [flags.token, 'the token from --token'],
    [env['SQUALL_AUTH_TOKEN'], 'the token from SQUALL_AUTH_TOKEN'],
    [env['ST2_AUTH_TOKEN'], 'the token from ST2_AUTH_TOKEN'],
    [file.token, 'the token from the config file'],
  ]);
  let savedTokenUnused: string | undefined;
  if (!apiKey && !token) {
    const saved = readSavedToken(dir);
    if (saved && saved.url !== url) savedTokenUnused = `the token "squall login" saved is for ${saved.url}`;
    else if (saved?.expiry !== undefined && !(Date.parse(saved.expiry) > nowMs))
      savedTokenUnused = `the token "squall login" saved expired on ${saved.expiry}`;
    else if (saved) token = { value: saved.token, from: 'the token "squall login" saved' };
  }
  return {
    url,
    apiKey: apiKey?.value,
    token: token?.value,
    credentialFrom: (apiKey ?? token)?.from,
    savedTokenUnused,
    configDir: dir,
  };
}

/** The first non-empty value, and what it is. */
function first(
  candidates: readonly (readonly [string | undefined, string])[],
): { value: string; from: string } | undefined {
  for (const [value, from] of candidates) if (value) return { value, from };
  return undefined;
}

/** `ST2_BASE_URL=http://host` means the API on port 9101 of that host. */
function withApiPort(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.port === '') url.port = '9101';
    return url.toString();
  } catch {
    return raw;
  }
}
