/**
 * PostgreSQL for the tests, when TEST_DATABASE_URL names one (CI: postgres://postgres@127.0.0.1:5432/test).
 * Each test database is a fresh schema, put first on the search_path through the URL's
 * `options`, and dropped afterwards: runs see nothing of each other and may run at once.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** For `describe(name, { skip })`: a reason to skip when there is no PostgreSQL to test on. */
export const skipWithoutPostgres: string | false = TEST_DATABASE_URL
  ? false
  : 'PostgreSQL tests skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them';

export interface TestSchema {
  /** A DATABASE_URL whose connections work in this schema, and name themselves after it. */
  url: string;
  schema: string;
  /** Runs SQL in this schema. */
  query<Row extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createTestSchema(): Promise<TestSchema> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set.');
  const schema = `cohesion_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // Lets a test find this schema's connections in pg_stat_activity.
  url.searchParams.set('application_name', schema);
  const admin = new pg.Pool({ connectionString: url.href, max: 2 });
  admin.on('error', () => undefined);
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    url: url.href,
    schema,
    query: async (sql, params) => (await admin.query(sql, params)).rows,
    async drop() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
