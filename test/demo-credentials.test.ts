/**
 * The demo's credentials file (scripts/demo-credentials.ts): one client per
 * credential role in the credit office's register, the keys in
 * <DATA_DIR>/demo-credentials.json readable by the owner only, reused by a
 * second start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CREDENTIAL_ROLES } from '../lib/auth/roles';
import { openSubgraphDatabase } from '../lib/subgraph';
import { subgraphConfig, ROOT_DIR } from '../lib/config';
import { creditSubgraph } from '../subgraphs/credit';
import { authenticateApiKey, listClients } from '../subgraphs/credit/clients';
import { DEMO_CREDENTIALS_FILE, ensureDemoCredentials, readDemoCredentials } from '../scripts/demo-credentials';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { freePorts } from './helpers/ports';

describe('demo credentials', () => {
  let dataDir: string;
  let database: TestDatabase;
  const env = () => ({ DATA_DIR: dataDir, CREDIT_DATABASE_URL: database.url });

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-demo-credentials-'));
    fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when the tests run as root
    database = await createTestDatabase('demo_credentials');
  });
  afterEach(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function register() {
    const db = await openSubgraphDatabase(creditSubgraph, subgraphConfig('credit', env()));
    return { db, close: () => db.close() };
  }

  it('creates one working API client per credential role and writes them to a 0600 file', async () => {
    const { credentials, file, created } = await ensureDemoCredentials(env());
    expect(file).toBe(path.join(dataDir, DEMO_CREDENTIALS_FILE));
    expect(created).toEqual([...CREDENTIAL_ROLES]);
    expect(Object.keys(credentials).sort()).toEqual([...CREDENTIAL_ROLES].sort());
    expect(CREDENTIAL_ROLES).not.toContain('PUBLIC');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(credentials);
    expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const { db, close } = await register();
    try {
      for (const role of CREDENTIAL_ROLES) {
        const { apiKey, clientId } = credentials[role];
        expect(apiKey).toMatch(/^cgk_[A-Za-z0-9_-]{43}$/);
        expect(await authenticateApiKey(db, apiKey)).toEqual({ clientId, name: expect.any(String), role, expiresAt: null, department: role === 'DEPARTMENT' ? 'COURTS' : null });
      }
      expect(await listClients(db)).toHaveLength(CREDENTIAL_ROLES.length);
    } finally {
      await close();
    }
  });

  it('reuses the file on a second start, and completes one that lacks a role', async () => {
    const first = await ensureDemoCredentials(env());
    const second = await ensureDemoCredentials(env());
    expect(second).toEqual({ credentials: first.credentials, file: first.file, created: [] });

    const { DEVELOPER: _dropped, ...partial } = first.credentials;
    fs.writeFileSync(first.file, JSON.stringify(partial));
    const third = await ensureDemoCredentials(env());
    expect(third.created).toEqual(['DEVELOPER']);
    expect(third.credentials.APPROVAL_SYSTEM).toEqual(first.credentials.APPROVAL_SYSTEM);
    expect(third.credentials.DEVELOPER.apiKey).not.toBe(first.credentials.DEVELOPER.apiKey);
    expect(readDemoCredentials(third.file)).toEqual(third.credentials);
    expect(fs.statSync(third.file).mode & 0o777).toBe(0o600);

    const { db, close } = await register();
    try {
      expect(await listClients(db)).toHaveLength(CREDENTIAL_ROLES.length + 1);
    } finally {
      await close();
    }
  });

  it('runs on its own, on the embedded PostgreSQL of DATA_DIR it starts and stops', async () => {
    const { NODE_OPTIONS: _jest, DATABASE_URL: _a, CREDIT_DATABASE_URL: _b, ...parentEnv } = process.env;
    const [port] = await freePorts(1);
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', 'demo-credentials.ts')], {
      cwd: ROOT_DIR,
      env: { ...parentEnv, DATA_DIR: dataDir, POSTGRES_PORT: String(port) },
      encoding: 'utf8',
    });
    expect([result.status, result.status === 0 ? '' : result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toEqual({ file: path.join(dataDir, DEMO_CREDENTIALS_FILE), created: [...CREDENTIAL_ROLES] });
    expect(Object.keys(readDemoCredentials(path.join(dataDir, DEMO_CREDENTIALS_FILE))).sort()).toEqual([...CREDENTIAL_ROLES].sort());
  });
});
