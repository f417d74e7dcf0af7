/** Authentication and RBAC as the composition root wires them, from files under the data directory. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { AuthService } from './auth-service.ts';
import { PasswordFile } from './passwords.ts';
import { RbacFiles } from './rbac-files.ts';

export { AuthService } from './auth-service.ts';

/** Where the password file lives in the data directory. */
export function passwordFilePath(dataDir: string): string {
  return join(dataDir, 'passwd');
}

export interface AuthSetup {
  dataDir: string;
  enabled: boolean;
  systemUser: string;
  tokenTtlSeconds: number;
  permissionIsolation: boolean;
  onProblem: (problem: string) => void;
}

export function createAuthService(store: Store, setup: AuthSetup): AuthService {
  mkdirSync(setup.dataDir, { recursive: true });
  return new AuthService({
    store,
    passwords: new PasswordFile(passwordFilePath(setup.dataDir)),
    rbac: new RbacFiles(setup.dataDir, setup.onProblem),
    dataDir: setup.dataDir,
    enabled: setup.enabled,
    systemUser: setup.systemUser,
    tokenTtlSeconds: setup.tokenTtlSeconds,
    permissionIsolation: setup.permissionIsolation,
  });
}
