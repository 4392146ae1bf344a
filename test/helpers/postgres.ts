/**
 * Real PostgreSQL for tests: each suite gets a database of its own on the
 * run's server (test/global-setup.ts: the embedded one, or TEST_DATABASE_URL),
 * dropped when the suite ends, so suites running in parallel never see each
 * other's rows.
 */
import crypto from 'node:crypto';
import { Client } from 'pg';

/** Superuser URL of the run's server, set by jest's global set-up before any suite runs. */
export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global set-up starts PostgreSQL)');
  return url;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `cg_${label}_${crypto.randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl(), name),
    async drop() {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
