/**
 * `npm start` as a user runs it, on the embedded PostgreSQL of a fresh
 * DATA_DIR (scripts/start.ts, scripts/postgres/cluster.ts):
 *
 * - every department has its own database and login role, and no role gets
 *   into another department's database;
 * - the client CLI runs beside the graph, through its server, with its
 *   writes there at once (no second process opening the files);
 * - a subgraph killed with SIGKILL is started again by the launcher, which
 *   says so;
 * - the database server killed with SIGKILL while writes go on loses none
 *   that committed, and is started again; the graph answers again;
 * - a tool run while the launcher brings a killed server back waits for it
 *   and leaves the server the launcher's;
 * - a launcher killed with SIGKILL leaves services behind, and the next start
 *   stops them and comes up on the same data.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ROOT_DIR } from '../lib/config';
import { DEPARTMENTS } from '../lib/departments';
import { departmentUrl, postgresUrl, readLocalCluster } from '../lib/local-cluster';
import { freePorts } from './helpers/ports';
import { eventually } from './helpers/eventually';

jest.setTimeout(240_000);

const run = promisify(execFile);

let dataDir: string;
let env: NodeJS.ProcessEnv;
let gatewayPort: number;
let launcher: ChildProcess;
let output = '';

function startLauncher(): Promise<ChildProcess> {
  output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts/start.ts'), '--subjects', '600'], {
    cwd: ROOT_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('is ready')) {
        clearInterval(timer);
        resolve(child);
      }
    }, 50);
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      reject(new Error(`npm start exited (${signal ?? code}):\n${output}`));
    });
  });
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; launcher said:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pid of a service the launcher runs, from its command line. */
function servicePid(name: string): number | undefined {
  const pattern = name === 'gateway' ? /\/gateway\/main\.js/ : new RegExp(`/subgraphs/${name}/main\\.js`);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (pattern.test(cmdline) && cmdline.includes(process.execPath)) {
        const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
        if (environ.includes(`DATA_DIR=${dataDir}\0`)) return Number(entry);
      }
    } catch {
      // gone
    }
  }
  return undefined;
}

function postmasterPid(): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

async function graphql(query: string): Promise<{ data?: any; errors?: any[] }> {
  const response = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

const answers = async () => {
  try {
    const body = await graphql('{ listEntries(kind: BLACK, first: 1) { nodes { code } } }');
    return body.errors === undefined && body.data.listEntries.nodes.length === 1;
  } catch {
    return false;
  }
};

async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts/client.ts'), ...args], { cwd: ROOT_DIR, env });
  return stdout;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-launcher-'));
  fs.chmodSync(dataDir, 0o755); // the server runs as the postgres user when the tests run as root
  const ports = await freePorts(7);
  gatewayPort = ports[0]!;
  const { NODE_OPTIONS: _jest, DATABASE_URL: _a, TEST_DATABASE_URL: _b, REDIS_URL: _c, ...parent } = process.env;
  env = { ...parent, DATA_DIR: dataDir, LOG_LEVEL: 'warn', GATEWAY_PORT: String(gatewayPort), POSTGRES_PORT: String(ports[6]) };
  DEPARTMENTS.forEach((d, at) => (env[`${d.name.toUpperCase()}_PORT`] = String(ports[at + 1])));
  for (const d of DEPARTMENTS) delete env[`${d.name.toUpperCase()}_DATABASE_URL`];
  launcher = await startLauncher();
});

afterAll(async () => {
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGINT');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('listens on the ports the environment names and answers', async () => {
  expect(output).toContain(`http://127.0.0.1:${gatewayPort}/graphql`);
  expect(await eventually(answers, 'the graph answering', 60_000)).toBe(true);
});

it('gives each department its own database and login role, and no role another department\'s database', async () => {
  const cluster = readLocalCluster(dataDir)!;
  expect(cluster.ownerPid).toBe(launcher.pid);
  expect((fs.statSync(path.join(dataDir, 'postgres.json')).mode & 0o777).toString(8)).toBe('600');
  for (const d of DEPARTMENTS) {
    const own = new Client({ connectionString: departmentUrl(cluster, d.name) });
    await own.connect();
    expect((await own.query('SELECT current_user AS role, current_database() AS db')).rows[0]).toEqual({ role: d.name, db: d.name });
    await own.end();
    const others: string[] = [...DEPARTMENTS.filter((o) => o.name !== d.name).map((o) => o.name), 'postgres'];
    for (const other of others) {
      const intruder = new Client({ connectionString: postgresUrl(cluster.host, cluster.port, cluster.departments[d.name], other) });
      await expect(intruder.connect()).rejects.toThrow(/permission denied for database/);
    }
  }
});

it('runs the client CLI beside the graph, through its server, with the change there at once', async () => {
  const created = JSON.parse(await cli(['create', '--role', 'APPROVAL_SYSTEM', '--name', 'beside the graph', '--json']));
  const asClient = (key: string) =>
    fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'x-purpose': 'launcher test' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
  expect((await asClient(created.apiKey)).status).toBe(200);
  await cli(['revoke', '--id', created.id]);
  expect(JSON.parse(await cli(['list', '--json']))).toContainEqual(expect.objectContaining({ id: created.id, revokedAt: expect.any(String) }));
  // The server is still the launcher's, and the graph still answers.
  expect(readLocalCluster(dataDir)!.ownerPid).toBe(launcher.pid);
  expect(await eventually(answers, 'the graph answering', 60_000)).toBe(true);
});

it('starts a subgraph killed with SIGKILL again, and says so', async () => {
  const before = servicePid('courts')!;
  expect(before).toBeDefined();
  process.kill(before, 'SIGKILL');
  await waitFor('the launcher restarts courts', () => output.includes('courts is back.'));
  expect(output).toMatch(/courts exited unexpectedly \(SIGKILL\); starting it again in \d+ s/);
  const after = servicePid('courts');
  expect(after).toBeDefined();
  expect(after).not.toBe(before);
  await waitFor('the graph answers with courts back', async () => {
    const body = await graphql('{ listEntries(kind: BLACK, first: 5) { nodes { code } } }');
    return body.errors === undefined;
  });
});

it('loses no committed write when the database server is killed mid-writes, and starts it again', async () => {
  const cluster = readLocalCluster(dataDir)!;
  const credit = new Client({ connectionString: departmentUrl(cluster, 'credit') });
  credit.on('error', () => {});
  await credit.connect();
  await credit.query('CREATE TABLE IF NOT EXISTS credit.crash_probe (n int PRIMARY KEY)');
  const committed: number[] = [];
  let killed = false;
  const writer = (async () => {
    for (let n = 1; ; n += 1) {
      try {
        await credit.query('INSERT INTO credit.crash_probe (n) VALUES ($1)', [n]);
        committed.push(n);
      } catch {
        return; // the server went away under this write: it may or may not have committed
      }
      if (n === 200 && !killed) {
        killed = true;
        process.kill(postmasterPid()!, 'SIGKILL');
      }
    }
  })();
  await writer;
  await credit.end().catch(() => {});
  expect(committed.length).toBeGreaterThanOrEqual(200);

  await waitFor('the launcher restarts PostgreSQL', () => output.includes('PostgreSQL is back.'), 90_000);
  expect(output).toMatch(/PostgreSQL exited unexpectedly \(SIGKILL\); starting it again/);
  const again = new Client({ connectionString: departmentUrl(readLocalCluster(dataDir)!, 'credit') });
  await again.connect();
  const { rows } = await again.query<{ n: number }>('SELECT n FROM credit.crash_probe ORDER BY n');
  await again.end();
  const stored = new Set(rows.map((row) => row.n));
  expect(committed.filter((n) => !stored.has(n))).toEqual([]);
  await waitFor('the graph answers on the restarted server', answers, 60_000);
});

it('keeps the database server its own when a tool runs while it brings a killed server back', async () => {
  process.kill(postmasterPid()!, 'SIGKILL');
  // At once, before the launcher's restart: the tool waits for the owner instead of starting a server of its own.
  const listed = JSON.parse(await cli(['list', '--json']));
  expect(listed.length).toBeGreaterThan(0);
  await waitFor('the launcher restarts PostgreSQL again', () => output.split('PostgreSQL is back.').length === 3, 90_000);
  expect(readLocalCluster(dataDir)!.ownerPid).toBe(launcher.pid);
  // Another tool run neither takes the server over nor stops it.
  await cli(['list']);
  expect(readLocalCluster(dataDir)!.ownerPid).toBe(launcher.pid);
  expect(await eventually(answers, 'the graph answering', 60_000)).toBe(true);
  expect(output).not.toMatch(/PostgreSQL exited unexpectedly \(code 0\)/);
});

it('comes back on the same data after the launcher itself is killed with SIGKILL', async () => {
  const leftover = servicePid('market')!;
  const clientsBefore = JSON.parse(await cli(['list', '--json'])).length;
  launcher.kill('SIGKILL');
  await new Promise((resolve) => launcher.once('exit', resolve));
  launcher = await startLauncher();
  expect(output).toMatch(/A crashed launcher left .*market.* running: stopping them first/);
  expect(fs.existsSync(`/proc/${leftover}`)).toBe(false);
  expect(output).toContain('Reusing the demo data');
  expect(await eventually(answers, 'the graph answering', 60_000)).toBe(true);
  expect(JSON.parse(await cli(['list', '--json'])).length).toBe(clientsBefore);
});
