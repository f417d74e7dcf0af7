/**
 * The store's connection pool: every connection lands in the configured schema and reads values in
 * the shapes the shared row mapping expects (bigint as number, json as its text).
 */
import pg, { type CustomTypesConfig, type Pool, type PoolClient, type QueryArrayConfig } from 'pg';
import { ValidationError } from '../../domain/errors.ts';

export type Db = Pool | PoolClient;

/**
 * Schema names are spliced into SQL and into the connection's startup options, so they are held to
 * a plain identifier (no quoting or escaping needed anywhere), at most PostgreSQL's 63 bytes.
 */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function quotedSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ValidationError(`Invalid PostgreSQL schema name "${schema}": use letters, digits and _`);
  }
  return `"${schema}"`;
}

const INT8 = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

/**
 * Times, sizes and ids are bigint, which pg hands back as strings (they may exceed 2^53). The
 * store's never do (microseconds reach 2^53 in the year 2255), so they become numbers; a value
 * that would lose precision is an error rather than a silently wrong time.
 */
function parseBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JavaScript number`);
  return value;
}

/** JSON stays text: the shared row mapping parses it (and skips the parser for `{}`). */
const keepText = (text: string): string => text;

/**
 * Per pool, not `pg.types.setTypeParser`: changing pg's global parsers would change them for any
 * other pg user in the process.
 */
const STORE_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return parseBigint;
    if (oid === JSON_OID || oid === JSONB_OID) return keepText;
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  url: string;
  schema: string;
  poolSize: number;
}

/**
 * The search_path goes into the startup packet (`options`), so it holds from the first statement
 * on every connection, with no extra round trip. pg lets an `options` parameter in the URL replace
 * ours wholesale, so one found there is kept and ours appended to it.
 */
function connectionSettings(url: string, schema: string): { connectionString: string; options: string } {
  const searchPath = `-c search_path=${quotedSchema(schema)}`;
  if (!url.includes('options=')) return { connectionString: url, options: searchPath };
  const parsed = new URL(url);
  const given = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  return { connectionString: parsed.toString(), options: given ? `${given} ${searchPath}` : searchPath };
}

export function createPool(options: PoolOptions): Pool {
  const pool = new pg.Pool({
    ...connectionSettings(options.url, options.schema),
    max: options.poolSize,
    types: STORE_TYPES,
    application_name: 'squall',
  });
  // An idle connection that breaks (server restart, network) is dropped by the pool, which opens a
  // new one on demand; without a listener the 'error' event would crash the process instead.
  pool.on('error', () => undefined);
  return pool;
}

/** A statement pg prepares once per connection (by name) and then only binds and executes. */
export interface Statement {
  name: string;
  text: string;
}

const statementTexts = new Map<string, string>();

/**
 * Names are global per connection: the prefix keeps them apart from anyone else's, and a name
 * given two texts fails here, at load, rather than as a protocol error on some connection later.
 */
export function statement(name: string, text: string): Statement {
  const prefixed = `squall_${name}`;
  const known = statementTexts.get(prefixed);
  if (known !== undefined && known !== text) throw new Error(`Statement name ${prefixed} is used twice`);
  statementTexts.set(prefixed, text);
  return { name: prefixed, text };
}

/** Rows as arrays (cheaper than objects, and what ExecutionRow describes). */
export async function rowsOf<R extends unknown[]>(
  db: Db,
  query: Statement | { text: string },
  values: unknown[],
): Promise<R[]> {
  const config: QueryArrayConfig<unknown[]> = { ...query, values, rowMode: 'array' };
  const result = await db.query<R>(config);
  return result.rows;
}

/** The first column of the first row, if any. */
export async function valueOf<T>(db: Db, query: Statement | { text: string }, values: unknown[]): Promise<T> {
  const rows = await rowsOf<[T]>(db, query, values);
  return rows[0]?.[0] as T;
}
