/**
 * jest's global set-up: one PostgreSQL server for the whole run, as the
 * platform itself runs it — the embedded server from the npm package
 * (scripts/postgres/cluster.ts) on a free port in a temporary directory — so
 * `npm test` needs no PostgreSQL installed. TEST_DATABASE_URL (a superuser
 * URL) uses that server instead. Each suite makes its own databases on it
 * (test/helpers/postgres.ts); the teardown stops the server and removes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalCluster, type RunningCluster } from '../scripts/postgres/cluster';
import { freePorts } from './helpers/ports';

declare global {
  // eslint-disable-next-line no-var
  var __testPostgres: { cluster: RunningCluster; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-test-postgres-'));
  fs.chmodSync(dir, 0o755); // the server runs as the postgres user when the tests run as root
  const [port] = await freePorts(1);
  const cluster = await openLocalCluster({
    dataDir: dir,
    port: port!,
    // Throw-away data: durability costs time and buys nothing here (no test crashes the machine).
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '500' },
  });
  process.env.TEST_DATABASE_URL = cluster.adminUrl;
  globalThis.__testPostgres = { cluster, dir };
}
