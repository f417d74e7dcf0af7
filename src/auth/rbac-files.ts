/**
 * RBAC definitions from files, in StackStorm's layout under the data directory:
 * `rbac/roles/*.yaml` (custom roles) and `rbac/assignments/*.yaml` (a user's roles). Files are
 * re-read when they change (checked at most once a second), so edits apply without a restart.
 * A file that does not parse is skipped and reported, never half-applied.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  isPermissionType,
  SYSTEM_ROLES,
  type PermissionGrant,
  type PermissionType,
  type Role,
  type RoleAssignment,
} from '../domain/rbac.ts';

export interface RbacDefinitions {
  roles: Map<string, Role>;
  assignments: Map<string, string[]>;
  problems: string[];
}

const RECHECK_MS = 1000;

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

function record(value: unknown, file: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${file}: not a mapping`);
  return value as Record<string, unknown>;
}

function strings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new Error(`${what} must be a list of strings`);
  return value as string[];
}

function parseRole(file: string): Role {
  const doc = record(parse(readFileSync(file, 'utf8')), file);
  if (typeof doc['name'] !== 'string' || doc['name'] === '') throw new Error(`${file}: "name" is required`);
  if (SYSTEM_ROLES.includes(doc['name'])) throw new Error(`${file}: "${doc['name']}" is a system role`);
  const grants: PermissionGrant[] = [];
  for (const raw of (doc['permission_grants'] ?? []) as unknown[]) {
    const g = record(raw, file);
    const types = strings(g['permission_types'], `${file}: permission_types`);
    const unknown = types.filter((t) => !isPermissionType(t));
    if (unknown.length > 0) throw new Error(`${file}: unknown permission types ${unknown.join(', ')}`);
    grants.push({
      ...(typeof g['resource_uid'] === 'string' ? { resourceUid: g['resource_uid'] } : {}),
      permissionTypes: types as PermissionType[],
    });
  }
  return {
    name: doc['name'],
    description: typeof doc['description'] === 'string' ? doc['description'] : '',
    enabled: doc['enabled'] !== false,
    grants,
  };
}

function parseAssignment(file: string): RoleAssignment {
  const doc = record(parse(readFileSync(file, 'utf8')), file);
  if (typeof doc['username'] !== 'string' || doc['username'] === '')
    throw new Error(`${file}: "username" is required`);
  return {
    username: doc['username'],
    roles: strings(doc['roles'] ?? [], `${file}: roles`),
    enabled: doc['enabled'] !== false,
  };
}

export function loadRbacDefinitions(dataDir: string): RbacDefinitions {
  const roles = new Map<string, Role>();
  const assignments = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of yamlFiles(join(dataDir, 'rbac', 'roles'))) {
    try {
      const role = parseRole(file);
      roles.set(role.name, role);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  for (const file of yamlFiles(join(dataDir, 'rbac', 'assignments'))) {
    try {
      const a = parseAssignment(file);
      if (!a.enabled) continue;
      assignments.set(a.username, [...(assignments.get(a.username) ?? []), ...a.roles]);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { roles, assignments, problems };
}

/** Writes `rbac/assignments/<user>.yaml` giving the user these roles. */
export function writeAssignment(dataDir: string, username: string, roles: readonly string[]): string {
  const dir = join(dataDir, 'rbac', 'assignments');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${username}.yaml`);
  writeFileSync(
    file,
    `---\n${stringify({ username, description: 'Written by Squall', enabled: true, roles })}`,
  );
  return file;
}

/** The definitions, re-read when a file under `rbac/` changes. */
export class RbacFiles {
  readonly #dataDir: string;
  readonly #onProblem: (problem: string) => void;
  #definitions: RbacDefinitions;
  #signature: string;
  #checkedAt = 0;

  constructor(dataDir: string, onProblem: (problem: string) => void) {
    this.#dataDir = dataDir;
    this.#onProblem = onProblem;
    this.#signature = this.#currentSignature();
    this.#definitions = this.#load();
  }

  #currentSignature(): string {
    const files = [
      ...yamlFiles(join(this.#dataDir, 'rbac', 'roles')),
      ...yamlFiles(join(this.#dataDir, 'rbac', 'assignments')),
    ];
    return files.map((f) => `${f}@${statSync(f).mtimeMs}`).join('|');
  }

  #load(): RbacDefinitions {
    const definitions = loadRbacDefinitions(this.#dataDir);
    for (const problem of definitions.problems) this.#onProblem(problem);
    return definitions;
  }

  get(): RbacDefinitions {
    const now = Date.now();
    if (now - this.#checkedAt >= RECHECK_MS) {
      this.#checkedAt = now;
      const signature = this.#currentSignature();
      if (signature !== this.#signature) {
        this.#signature = signature;
        this.#definitions = this.#load();
      }
    }
    return this.#definitions;
  }

  /** Forget the once-a-second throttle (after writing a file ourselves). */
  invalidate(): void {
    this.#checkedAt = 0;
  }
}
