/**
 * The PostgreSQL the tests and benchmarks of this backend use, and throwaway schemas in it: each
 * test opens its store in a schema of its own and drops it afterwards, so test files (and the tests
 * in them) never see each other's rows and can run in parallel.
 */
import pg from 'pg';
import { quotedSchema } from './connection-pool.ts';

export const TEST_DATABASE_URL =
  process.env.SQUALL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Why the database cannot be used, or undefined when it can. */
export async function unreachableReason(url: string = TEST_DATABASE_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let counter = 0;

/** A schema name no other test (in this or another process) uses. */
export function freshSchemaName(): string {
  counter += 1;
  const random = Math.floor(Math.random() * 0x100000).toString(36);
  return `squall_test_${process.pid}_${random}_${counter}`;
}

/** Runs one statement with `schema` as the search_path, on a connection of its own. */
export async function runInSchema(
  schema: string,
  sql: string,
  values: unknown[] = [],
  url: string = TEST_DATABASE_URL,
): Promise<unknown[][]> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${quotedSchema(schema)}` });
  await client.connect();
  try {
    return (await client.query<unknown[]>({ text: sql, values, rowMode: 'array' })).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string, url: string = TEST_DATABASE_URL): Promise<void> {
  await runInSchema('public', `DROP SCHEMA IF EXISTS ${quotedSchema(schema)} CASCADE`, [], url);
}
