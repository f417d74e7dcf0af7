import { InternalError } from '../domain/errors.ts';

/**
 * The database was migrated by a newer Squall than this one. Opening it anyway could corrupt data
 * the newer code relies on, so every backend refuses with this error.
 */
export class SchemaTooNewError extends InternalError {
  readonly databaseVersion: number;
  readonly knownVersion: number;
  constructor(databaseVersion: number, knownVersion: number) {
    super(
      `The database schema is at version ${databaseVersion}, but this Squall only knows versions up to ` +
        `${knownVersion}. Upgrade Squall (or restore a backup taken before the upgrade).`,
    );
    this.databaseVersion = databaseVersion;
    this.knownVersion = knownVersion;
  }
}
