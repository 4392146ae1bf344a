/**
 * `npm run client -- create | list | revoke` as a child process against the
 * embedded PostgreSQL of a temporary DATA_DIR: with nothing running it starts
 * the server for itself and stops it again; beside a running server
 * (`npm run postgres`, as under `npm start`) it goes through that server and
 * its writes are there at once. The key is printed once, works against the
 * store, lists without the key, and stops working once revoked; bad roles and
 * durations are refused before anything is written.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR, subgraphConfig } from '../../lib/config';
import { readLocalCluster } from '../../lib/local-cluster';
import { freePorts } from '../helpers/ports';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { creditSubgraph } from '../../subgraphs/credit';
import { authenticateApiKey } from '../../subgraphs/credit/clients';

let dataDir: string;
let postgresPort: string;
let server: ChildProcess | undefined;

// Each command is a process that opens the embedded database (a few seconds on a busy machine).
jest.setTimeout(240_000);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, POSTGRES_PORT: postgresPort, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.CREDIT_DATABASE_URL;
  delete env.REDIS_URL; // announcing a revocation is the security suite's to test, against a running graph
  delete env.REDIS_CLUSTER_NODES;
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not the CLI's business
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts/client.ts'), ...args], { cwd: ROOT_DIR, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function withStore<T>(fn: (db: Awaited<ReturnType<typeof openSubgraphDatabase>>) => Promise<T>): Promise<T> {
  const db = await openSubgraphDatabase(creditSubgraph, subgraphConfig('credit', { DATA_DIR: dataDir }));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** `npm run postgres` in DATA_DIR, as a graph would run it; resolves once it says it is ready. */
function startServer(): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, POSTGRES_PORT: postgresPort };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts/postgres.ts')], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('PostgreSQL ready')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm run postgres exited (${code}): ${output}`)));
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-client-cli-'));
  fs.chmodSync(dataDir, 0o755); // the server runs as the postgres user when the tests run as root
  postgresPort = String((await freePorts(1))[0]);
});
afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('with no server running, starts the embedded PostgreSQL for the command and stops it again', async () => {
  const listed = await cli(['list']);
  expect(listed.stderr).toMatch(/no embedded PostgreSQL in .* yet: creating a new, empty one there/);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toMatch(/no clients/);
  expect(readLocalCluster(dataDir)?.ownerPid).toBeNull();
  expect(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  server = await startServer();
  expect(readLocalCluster(dataDir)?.ownerPid).toBe(server.pid);
});

it('is the npm script "client"', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8'));
  expect(pkg.scripts.client).toBe('tsx scripts/client.ts');
});

it('beside a running server, creates, lists and revokes a client through it, in effect at once', async () => {
  const created = await cli(['create', '--role', 'APPROVAL_SYSTEM', '--name', '市政务服务中心', '--expires-in', '90d']);
  // It says which server it went through: the running one, never one of its own on the same files.
  const running = readLocalCluster(dataDir)!;
  expect(created.stderr.trim()).toBe(`(through the running graph's PostgreSQL server on 127.0.0.1:${running.port}, owned by process ${running.ownerPid})`);
  expect(created.code).toBe(0);
  const key = /API key: (cgk_[A-Za-z0-9_-]{43})/.exec(created.stdout)?.[1];
  const id = /created (cli_[0-9a-f]{20})/.exec(created.stdout)?.[1];
  expect(key).toBeDefined();
  expect(id).toBeDefined();
  expect(created.stdout).toMatch(/shown only this once/);
  expect(created.stdout.split(key!).length - 1).toBe(1);

  const owner = await withStore((db) => authenticateApiKey(db, key!));
  expect(owner).toMatchObject({ clientId: id, role: 'APPROVAL_SYSTEM', name: '市政务服务中心' });
  const expiresIn = Date.parse((owner as { expiresAt: string }).expiresAt) - Date.now();
  expect(expiresIn).toBeGreaterThan(89 * 86_400_000);
  expect(expiresIn).toBeLessThanOrEqual(90 * 86_400_000);

  const listed = await cli(['list']);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(id!);
  expect(listed.stdout).toContain(key!.slice(0, 8));
  expect(listed.stdout).not.toContain(key!.slice(8));
  expect(listed.stdout).toMatch(/active/);

  const json = await cli(['list', '--json']);
  expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id, role: 'APPROVAL_SYSTEM', revokedAt: null })]);

  const revoked = await cli(['revoke', '--id', id!]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toContain(`revoked ${id}`);
  expect(revoked.stdout).toMatch(/takes effect on every gateway within 5 s \(no Redis configured/);
  expect(await withStore((db) => authenticateApiKey(db, key!))).toEqual({ refused: 'REVOKED' });
  expect((await cli(['list'])).stdout).toMatch(/revoked/);
  // Again: idempotent.
  expect((await cli(['revoke', '--id', id!])).code).toBe(0);
});

it('prints the key as JSON for scripts with --json', async () => {
  const created = await cli(['create', '--role', 'DEVELOPER', '--name', 'playground', '--json']);
  expect(created.code).toBe(0);
  const body = JSON.parse(created.stdout);
  expect(body).toMatchObject({ role: 'DEVELOPER', name: 'playground', expiresAt: null, apiKey: expect.stringMatching(/^cgk_/) });
  expect(await withStore((db) => authenticateApiKey(db, body.apiKey))).toMatchObject({ clientId: body.id });
});

it('registers a DEPARTMENT client for its department (--department), which its key then carries', async () => {
  const created = await cli(['create', '--role', 'DEPARTMENT', '--name', '市法院执行局', '--department', 'COURTS', '--json']);
  expect(created.code).toBe(0);
  const body = JSON.parse(created.stdout);
  expect(body).toMatchObject({ role: 'DEPARTMENT', department: 'COURTS' });
  expect(await withStore((db) => authenticateApiKey(db, body.apiKey))).toMatchObject({ clientId: body.id, department: 'COURTS' });
  expect((await cli(['list'])).stdout).toMatch(new RegExp(`${body.id}\\s+DEPARTMENT\\s+COURTS`));
});

it('refuses unknown roles, bad durations, missing options and unknown ids with a clear message, writing nothing', async () => {
  const before = JSON.parse((await cli(['list', '--json'])).stdout).length;
  const cases: [string[], RegExp][] = [
    [['create', '--role', 'ADMIN', '--name', 'x'], /unknown role 'ADMIN': one of APPROVAL_SYSTEM, .*DEVELOPER/],
    [['create', '--role', 'PUBLIC', '--name', 'x'], /unknown role 'PUBLIC'.*PUBLIC needs no key/],
    [['create', '--name', 'x'], /create needs --role/],
    [['create', '--role', 'DEVELOPER'], /create needs --name/],
    [['create', '--role', 'DEVELOPER', '--name', 'x', '--expires-in', '90'], /--expires-in takes a whole number of hours, days or weeks.*got '90'/],
    [['create', '--role', 'DEVELOPER', '--name', 'x', '--expires-in', '3 months'], /--expires-in/],
    [['create', '--role', 'DEVELOPER', '--name', 'x', '--expires-in', '0d'], /--expires-in/],
    [['create', '--role', 'DEVELOPER', '--name', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['create', '--role', 'DEPARTMENT', '--name', 'x'], /--role DEPARTMENT needs --department \(MARKET, TAX, COURTS, ENVIRONMENT\)/],
    [['create', '--role', 'DEVELOPER', '--name', 'x', '--department', 'TAX'], /only --role DEPARTMENT takes --department/],
    [['create', '--role', 'DEPARTMENT', '--name', 'x', '--department', 'POLICE'], /registered for one department.*not 'POLICE'/],
    [['revoke'], /revoke needs --id/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  const results = await Promise.all(cases.map(([args]) => cli(args)));
  for (const [at, [args, message]] of cases.entries()) {
    const result = results[at]!;
    expect({ args, code: result.code }).toEqual({ args, code: 2 });
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toMatch(/cgk_/);
  }
  const unknown = await cli(['revoke', '--id', 'cli_00000000000000000000']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/no client with id 'cli_00000000000000000000'/);
  expect(JSON.parse((await cli(['list', '--json'])).stdout).length).toBe(before);
});
