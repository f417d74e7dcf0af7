/**
 * Who is asking, and what they may do: logins against the password file, tokens and API keys
 * (stored hashed), and RBAC decisions from the role files. HTTP-free: the API reads credentials
 * from requests and asks this service.
 */
import { ForbiddenError, UnauthorizedError, ValidationError } from '../domain/errors.ts';
import type { ApiKeyRecord, TokenRecord } from '../domain/credentials.ts';
import { newId } from '../domain/ids.ts';
import {
  isAdminRole,
  rolesGrant,
  SystemRole,
  type PermissionType,
  type ResourceRef,
} from '../domain/rbac.ts';
import { nowMicros } from '../domain/time.ts';
import type { JsonObject } from '../domain/types.ts';
import type { Page, PageOf, Store } from '../store/store.ts';
import type { PasswordFile } from './passwords.ts';
import type { RbacFiles } from './rbac-files.ts';
import { writeAssignment } from './rbac-files.ts';
import { apiKeyHash, newApiKey, newToken, tokenHash } from './secrets.ts';

export const AuthMethod = { token: 'authentication token', apiKey: 'API key', none: 'none' } as const;
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

/** The authenticated caller of one request. */
export interface Requester {
  user: string;
  method: AuthMethod;
  /** Where the credential was found: header, query or cookie. */
  location: string;
  /** When authenticated with a token: its expiry (µs). */
  tokenExpiry?: number;
}

export interface AuthOptions {
  store: Store;
  passwords: PasswordFile;
  rbac: RbacFiles;
  dataDir: string;
  /** false: no credentials needed, everyone acts as the system user with every permission. */
  enabled: boolean;
  systemUser: string;
  /** Default and maximum token lifetime, seconds. */
  tokenTtlSeconds: number;
  /** Non-admins see only their own executions. */
  permissionIsolation: boolean;
}

/** The admin created on first start. */
export const BOOTSTRAP_ADMIN = 'admin';

export class AuthService {
  readonly enabled: boolean;
  readonly systemUser: string;
  readonly tokenTtlSeconds: number;
  readonly permissionIsolation: boolean;
  readonly #store: Store;
  readonly #passwords: PasswordFile;
  readonly #rbac: RbacFiles;
  readonly #dataDir: string;

  constructor(options: AuthOptions) {
    this.enabled = options.enabled;
    this.systemUser = options.systemUser;
    this.tokenTtlSeconds = options.tokenTtlSeconds;
    this.permissionIsolation = options.permissionIsolation;
    this.#store = options.store;
    this.#passwords = options.passwords;
    this.#rbac = options.rbac;
    this.#dataDir = options.dataDir;
  }

  /** The requester while authentication is off. */
  get anonymous(): Requester {
    return { user: this.systemUser, method: AuthMethod.none, location: 'none' };
  }

  /** Checks the password and issues a token; undefined for wrong credentials. */
  async login(
    user: string,
    password: string,
    ttlSeconds: number | undefined,
  ): Promise<{ record: TokenRecord; token: string } | undefined> {
    if (!(await this.#passwords.verify(user, password))) return undefined;
    // Logins are rare next to requests: a good moment to forget tokens nobody can use any more.
    await this.#store.deleteTokensExpiredBefore(nowMicros());
    return this.issueToken(user, ttlSeconds);
  }

  async issueToken(
    user: string,
    ttlSeconds: number | undefined,
  ): Promise<{ record: TokenRecord; token: string }> {
    if (ttlSeconds !== undefined && ttlSeconds > this.tokenTtlSeconds) {
      throw new ValidationError(
        `TTL specified ${ttlSeconds} is greater than max allowed ${this.tokenTtlSeconds}.`,
      );
    }
    const token = newToken();
    const record: TokenRecord = {
      id: newId(),
      user,
      tokenHash: tokenHash(token),
      expiry: nowMicros() + (ttlSeconds ?? this.tokenTtlSeconds) * 1_000_000,
      metadata: {},
    };
    await this.#store.saveToken(record);
    return { record, token };
  }

  /** Ends a token before its expiry (an action's, once the action is over). */
  async revokeToken(id: string): Promise<void> {
    await this.#store.deleteToken(id);
  }

  /** The token's record, or 401 with StackStorm's message. */
  async validateToken(token: string): Promise<TokenRecord> {
    const record = await this.#store.getTokenByHash(tokenHash(token));
    if (!record) throw new UnauthorizedError('Unauthorized');
    if (record.expiry <= nowMicros()) throw new UnauthorizedError('Unauthorized - Token has expired.');
    return record;
  }

  async validateApiKey(key: string): Promise<ApiKeyRecord> {
    const hash = apiKeyHash(key);
    const record = await this.#store.getApiKey(hash);
    if (!record || record.keyHash !== hash) {
      throw new UnauthorizedError(`Unauthorized - ApiKey with key_hash=${hash} not found.`);
    }
    if (!record.enabled) throw new UnauthorizedError('Unauthorized - API key is disabled.');
    return record;
  }

  /** A new API key for `user`: the record (hash only) and the key, which is never stored. */
  async createApiKey(
    user: string,
    metadata: JsonObject,
    enabled = true,
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const key = newApiKey();
    const record: ApiKeyRecord = {
      id: newId(),
      user,
      keyHash: apiKeyHash(key),
      metadata,
      createdAt: nowMicros(),
      enabled,
    };
    await this.#store.saveApiKey(record);
    return { record, key };
  }

  /** A key whose hash was made elsewhere (`st2 apikey load`): the caller already holds the key. */
  async importApiKey(
    user: string,
    keyHash: string,
    metadata: JsonObject,
    enabled: boolean,
  ): Promise<ApiKeyRecord> {
    const record: ApiKeyRecord = { id: newId(), user, keyHash, metadata, createdAt: nowMicros(), enabled };
    await this.#store.saveApiKey(record);
    return record;
  }

  /** By id, key hash, or the key itself (as StackStorm's `get_by_key_or_id`). */
  async getApiKey(idHashOrKey: string): Promise<ApiKeyRecord | undefined> {
    return (await this.#store.getApiKey(idHashOrKey)) ?? this.#store.getApiKey(apiKeyHash(idHashOrKey));
  }
  listApiKeys(page: Page): Promise<PageOf<ApiKeyRecord>> {
    return this.#store.listApiKeys(page);
  }
  saveApiKey(record: ApiKeyRecord): Promise<void> {
    return this.#store.saveApiKey(record);
  }
  deleteApiKey(id: string): Promise<boolean> {
    return this.#store.deleteApiKey(id);
  }

  // --- RBAC ---

  rolesOf(user: string): string[] {
    if (!this.enabled) return [SystemRole.systemAdmin];
    return this.#rbac.get().assignments.get(user) ?? [];
  }

  isAdmin(user: string): boolean {
    if (!this.enabled || user === this.systemUser) return true;
    return this.rolesOf(user).some(isAdminRole);
  }

  can(user: string, permission: PermissionType, resource?: ResourceRef): boolean {
    if (this.isAdmin(user)) return true;
    return rolesGrant(this.rolesOf(user), this.#rbac.get().roles, permission, resource);
  }

  /** 403 with StackStorm's message unless the user has the permission. */
  assert(user: string, permission: PermissionType, resource?: ResourceRef): void {
    if (this.can(user, permission, resource)) return;
    throw new ForbiddenError(
      resource
        ? `User "${user}" doesn't have required permission "${permission}" on resource "${resource.uid}"`
        : `User "${user}" doesn't have required permission "${permission}"`,
    );
  }

  /**
   * On first start: when no admin can authenticate (no admin in the password file and no API key
   * of an admin), create the `admin` user's role assignment and an API key; the key, to show once.
   */
  async bootstrapAdmin(): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    const { assignments } = this.#rbac.get();
    const admins = [...assignments].filter(([, roles]) => roles.some(isAdminRole)).map(([user]) => user);
    if (admins.some((user) => this.#passwords.has(user))) return undefined;
    const keys = await this.#store.listApiKeys({ limit: null, offset: 0 });
    if (keys.items.some((k) => k.enabled && admins.includes(k.user))) return undefined;
    if (!admins.includes(BOOTSTRAP_ADMIN)) {
      writeAssignment(this.#dataDir, BOOTSTRAP_ADMIN, [SystemRole.systemAdmin]);
      this.#rbac.invalidate();
    }
    const { key } = await this.createApiKey(BOOTSTRAP_ADMIN, { created_by: 'squall first start' });
    return key;
  }
}
