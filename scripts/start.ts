/**
 * `npm start`: the whole graph on one machine with embedded defaults. Starts
 * the embedded PostgreSQL server (DATA_DIR/postgres: one database and login
 * role per department; none with DATABASE_URL), seeds a demo dataset on first
 * start and creates one API client per credential role
 * (data/demo-credentials.json), then starts the five subgraphs and the
 * gateway as separate processes, waits until the gateway is ready and prints
 * where to go and a working credential per role. A process that dies is
 * started again, with backoff. Ctrl-C stops every service, then the database
 * server; a second start reuses the data and the credentials.
 *
 *   npm start [-- --subjects N] [-- --seed S]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dataDirFrom, postgresPort, ROOT_DIR } from '../lib/config';
import { startGraph, type RunningGraph, type ServiceName } from './graph-processes';
import type { SeedSummary } from './seed/index';
import { DEMO_CREDENTIALS_FILE, isComplete, readDemoCredentials, type DemoCredentials } from './demo-credentials';
import { alive, openLocalCluster, usesExternalDatabases, type RunningCluster } from './postgres/cluster';
import { CREDENTIAL_ROLES } from '../lib/auth/roles';

const DEFAULT_DEMO_SUBJECTS = 20_000;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} takes a positive whole number, got '${process.argv[at + 1] ?? ''}'`);
    process.exit(2);
  }
  return value;
}

/** The embedded PostgreSQL server's processes: the postmaster this process started, and its backends. */
function databaseServerPids(): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc', { withFileTypes: true })) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry.name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (command === 'postgres' && (parent === process.pid || found.includes(parent))) found.push(Number(entry.name));
    } catch {
      // gone, or not Linux
    }
  }
  return found;
}

function residentMegabytes(pids: number[]): number {
  let kilobytes = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      kilobytes += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // not on Linux, or the process is gone
    }
  }
  return Math.round(kilobytes / 1024);
}

/** Relative to where the user is when that is shorter, else absolute. */
function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative === '' ? '.' : relative.startsWith('..') ? target : relative;
}

/** Where the departments' databases are, for the welcome text. */
function databaseLine(cluster: RunningCluster | undefined, dataDir: string): string {
  if (!cluster) return 'PostgreSQL from DATABASE_URL / <DEPT>_DATABASE_URL';
  return `PostgreSQL 16 (embedded) on 127.0.0.1:${cluster.cluster.port}, data in ${displayPath(path.join(dataDir, 'postgres'))}, one database and login role per department (${displayPath(path.join(dataDir, 'postgres.json'))})`;
}

function printWelcome(graph: RunningGraph, database: string, demo: SeedSummary, credentials: DemoCredentials, credentialsFile: string, startedAt: number, logDir: string): void {
  const url = `${graph.gatewayUrl}/graphql`;
  const width = Math.max(...CREDENTIAL_ROLES.map((role) => role.length)) + 2;
  const credentialLines = [
    ...CREDENTIAL_ROLES.map((role) => `  ${role.padEnd(width)}X-Api-Key: ${credentials[role].apiKey}`),
    `  ${'PUBLIC'.padEnd(width)}(no credential: publicly disclosed information only)`,
  ].join('\n');
  const e = demo.examples;
  const pids = [process.pid, ...[...graph.processes.values()].map((child) => child.pid ?? 0), ...databaseServerPids()];
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
credit-graph is ready in ${seconds} s (${residentMegabytes(pids)} MB resident, this launcher, the seven services and the database server).

  Website      http://127.0.0.1:${graph.ports.web}/   (the public credit website; the console at /console)
  Playground   ${url}   (open it in a browser; works offline)
  GraphQL      POST ${url}
  Operations   ${graph.gatewayUrl}/healthz  ${graph.gatewayUrl}/readyz  ${graph.gatewayUrl}/metrics
  Subgraphs    ${Object.entries(graph.ports)
    .filter(([name]) => name !== 'gateway' && name !== 'web')
    .map(([name, port]) => `${name} :${port}`)
    .join('  ')}
  Database     ${database}
  Logs         ${displayPath(logDir)}/<service>.log

Example subjects (${demo.subjects.toLocaleString('en')} seeded):
  clean                               ${e.clean}
  red list (tax credit rating A)      ${e.redList}
  dishonest judgment debtor           ${e.dishonestDebtor}
  dishonest debtor, natural person    ${e.dishonestPerson}
  major tax violation                 ${e.majorTaxViolation}
  serious illegal and dishonest list  ${e.seriousViolation}
  abnormal operations list            ${e.abnormalOperations}
  environmental credit BLACK          ${e.environmentalBlack}
  formerly listed (record removed)    ${e.formerlyListed}

Demo credentials, one per role (also in ${displayPath(credentialsFile)}, readable by you only).
Non-public roles send X-Purpose with each request (e.g. the licence application number); it goes into the audit log.
${credentialLines}

Try:
  curl -s ${url} -H 'content-type: application/json' \\
    -H 'X-Api-Key: ${credentials.APPROVAL_SYSTEM.apiKey}' -H 'X-Purpose: licence application 2026-0001' \\
    -d '{"query":"{ creditCheck(code: \\"${e.dishonestDebtor}\\", scenario: ADMINISTRATIVE_LICENSING) { verdict measures { name basis until } missingSources } }"}'

  curl -s ${url} -H 'content-type: application/json' \\
    -d '{"query":"{ subject(code: \\"${e.dishonestDebtor}\\") { name lists { kind department reason } courts { dishonestDebtors { caseNumber court listedOn } } tax { latestRating { level } } } }"}'

  curl -s ${url} -H 'content-type: application/json' \\
    -d '{"query":"{ listEntries(kind: BLACK, first: 3) { nodes { code reason department since } endCursor hasNextPage } }"}'

Press Ctrl-C to stop.`);
}

/**
 * Runs one of the repository's own commands (the seed, the demo credentials)
 * as a child process through the database server this process runs, and
 * returns what it printed. A child, so the memory the seed needs goes back to
 * the system when it is done instead of staying with this long-lived launcher.
 */
function runScript(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', script), ...args], {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`scripts/${script} failed (exit ${code}); see the messages above`))));
  });
}

/** `<DATA_DIR>/launcher.json`: this launcher's pid and its services', so a start after a crash can find what the crashed one left running. */
const LAUNCHER_FILE = 'launcher.json';

interface LauncherRecord {
  pid: number;
  services: Record<string, number>;
}

/** Whether `pid` is a launcher (and not a process that got the number of one that died). */
function isLauncherProcess(pid: number): boolean {
  try {
    return /scripts\/start\.[tj]s/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** Whether `pid` is still one of our services (and not a process that got its number since). */
function isServiceProcess(pid: number): boolean {
  try {
    return /\.build\/[0-9a-f]+\/(gateway|web|subgraphs\/[a-z]+)\/main\.js/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A launcher killed with SIGKILL leaves its services running, holding their
 * ports: they are stopped (SIGTERM, they drain) before this one starts its own.
 */
async function stopLeftoverServices(dataDir: string): Promise<void> {
  let record: LauncherRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dataDir, LAUNCHER_FILE), 'utf8')) as LauncherRecord;
  } catch {
    return;
  }
  if (record.pid !== process.pid && alive(record.pid) && isLauncherProcess(record.pid)) {
    throw new Error(`npm start already runs on ${dataDir} (pid ${record.pid}): stop it, or set DATA_DIR to another directory`);
  }
  const leftovers = Object.entries(record.services).filter(([, pid]) => isServiceProcess(pid));
  if (leftovers.length === 0) return;
  console.log(`A crashed launcher left ${leftovers.map(([name]) => name).join(', ')} running: stopping them first.`);
  for (const [, pid] of leftovers) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (leftovers.some(([, pid]) => alive(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const [, pid] of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function recordLauncher(dataDir: string, graph: RunningGraph | undefined): void {
  const services = Object.fromEntries([...(graph?.processes ?? new Map())].map(([name, child]) => [name, child.pid ?? 0]));
  fs.writeFileSync(path.join(dataDir, LAUNCHER_FILE), `${JSON.stringify({ pid: process.pid, services } satisfies LauncherRecord)}\n`);
}

const RESTART_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** A service that stayed up this long is healthy again: its next crash starts the backoff over. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Keeps a process up: the listener it returns, called on an exit nobody asked
 * for, runs `restart` after a growing delay (said on the console), again after
 * each failed attempt, until `isStopping()`.
 */
function superviseRestarts(name: string, isStopping: () => boolean, restart: () => Promise<void>, logHint: string) {
  let attempt = 0;
  let lastStart = Date.now();
  const retryLater = (what: string) => {
    if (isStopping()) return;
    if (Date.now() - lastStart > HEALTHY_AFTER_MS) attempt = 0;
    const delay = RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]!;
    attempt += 1;
    console.error(`${name} ${what}; starting it again in ${delay / 1000} s (attempt ${attempt}; ${logHint})`);
    setTimeout(() => {
      if (isStopping()) return;
      lastStart = Date.now();
      restart().then(
        () => console.error(`${name} is back.`),
        (error: Error) => retryLater(`did not come back (${error.message.split('\n')[0]})`),
      );
    }, delay);
  };
  return (code: number | null, signal: NodeJS.Signals | null) => retryLater(`exited unexpectedly (${signal ?? `code ${code}`})`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const dataDir = dataDirFrom();
  const demoFile = path.join(dataDir, 'demo.json');
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });

  let stopping = false;
  let graph: RunningGraph | undefined;
  let cluster: RunningCluster | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping every process...`);
    // The services first, so in-flight requests finish against a live database; the database last.
    await graph?.stop();
    await cluster?.stop();
    fs.rmSync(path.join(dataDir, LAUNCHER_FILE), { force: true });
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await stopLeftoverServices(dataDir);
  recordLauncher(dataDir, undefined);

  if (!usesExternalDatabases(process.env)) {
    const serverLog = fs.createWriteStream(path.join(logDir, 'postgres.log'), { flags: 'a' });
    cluster = await openLocalCluster({ dataDir, port: postgresPort(), takeOver: true, log: (line) => serverLog.write(`${line}\n`) });
    if (!cluster.owned) {
      throw new Error(
        `another process (pid ${cluster.cluster.ownerPid}) runs the embedded PostgreSQL of ${dataDir}: is npm start already running there? Stop it, or set DATA_DIR to another directory`,
      );
    }
    const owned = cluster;
    owned.onUnexpectedExit(superviseRestarts('PostgreSQL', () => stopping, () => owned.restart(), `see ${displayPath(path.join(logDir, 'postgres.log'))}`));
  }

  let demo: SeedSummary;
  if (fs.existsSync(demoFile)) {
    demo = JSON.parse(fs.readFileSync(demoFile, 'utf8')) as SeedSummary;
    console.log(`Reusing the demo data in ${dataDir} (delete it to seed again).`);
  } else {
    const subjects = flag('subjects', DEFAULT_DEMO_SUBJECTS);
    console.log(`First start: seeding ${subjects.toLocaleString('en')} subjects into ${dataDir}.`);
    // A half-finished earlier seed leaves databases without demo.json: start them over.
    // New databases: keys written for the old ones would name clients that no longer exist.
    fs.rmSync(path.join(dataDir, DEMO_CREDENTIALS_FILE), { force: true });
    demo = JSON.parse(await runScript('seed.ts', ['--subjects', String(subjects), '--seed', String(flag('seed', 1)), '--reset'])) as SeedSummary;
    // (With the embedded databases the seed records demo.json itself; with external ones it is the demo's note.)
    fs.writeFileSync(demoFile, JSON.stringify(demo, null, 2));
  }
  const credentialsFile = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  if (!isComplete(readDemoCredentials(credentialsFile))) await runScript('demo-credentials.ts', []);
  const credentials = readDemoCredentials(credentialsFile) as DemoCredentials;

  console.log('Starting the five department subgraphs, the gateway and the website...');
  const running = await startGraph({ env: { DATA_DIR: dataDir }, logDir, readyTimeoutMs: 90_000, web: true });
  graph = running;
  const watch = (name: ServiceName) => {
    const onExit = superviseRestarts(
      name,
      () => stopping,
      async () => {
        await running.restartService(name);
        recordLauncher(dataDir, running);
        running.processes.get(name)!.once('exit', onExit);
      },
      `see ${displayPath(path.join(logDir, `${name}.log`))}`,
    );
    running.processes.get(name)!.once('exit', onExit);
  };
  for (const name of running.processes.keys()) watch(name);
  recordLauncher(dataDir, running);
  printWelcome(running, databaseLine(cluster, dataDir), demo, credentials, credentialsFile, startedAt, logDir);
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
