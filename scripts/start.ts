/**
 * `npm start`: the whole graph on one machine with embedded defaults. Seeds a
 * demo dataset on first start (one department database at a time, to keep
 * the peak memory down) and creates one API client per credential role
 * (data/demo-credentials.json), then starts the five subgraphs and the
 * gateway as separate processes, waits until the gateway is ready and prints
 * where to go and a working credential per role. Ctrl-C stops every process;
 * a second start reuses the data and the credentials.
 *
 *   npm start [-- --subjects N] [-- --seed S]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../lib/config';
import { startGraph, type RunningGraph } from './graph-processes';
import type { SeedSummary } from './seed/index';
import { seedInChildProcess } from './seed/child-process';
import { DEMO_CREDENTIALS_FILE, isComplete, readDemoCredentials, type DemoCredentials } from './demo-credentials';
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

/**
 * The demo's API clients (scripts/demo-credentials.ts), created in a short
 * child process for the same reason as the seed: opening the credit office's
 * database would stay in this process's memory for the whole demo.
 */
function demoCredentialsInChildProcess(dataDir: string): Promise<DemoCredentials> {
  const file = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  const existing = readDemoCredentials(file);
  if (isComplete(existing)) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', 'demo-credentials.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const credentials = readDemoCredentials(file);
      if (code === 0 && isComplete(credentials)) resolve(credentials);
      else reject(new Error(`creating the demo credentials failed (exit ${code}); see the messages above`));
    });
  });
}

/** Relative to where the user is when that is shorter, else absolute. */
function displayPath(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative === '' ? '.' : relative.startsWith('..') ? target : relative;
}

function printWelcome(graph: RunningGraph, demo: SeedSummary, credentials: DemoCredentials, credentialsFile: string, startedAt: number, logDir: string): void {
  const url = `${graph.gatewayUrl}/graphql`;
  const width = Math.max(...CREDENTIAL_ROLES.map((role) => role.length)) + 2;
  const credentialLines = [
    ...CREDENTIAL_ROLES.map((role) => `  ${role.padEnd(width)}X-Api-Key: ${credentials[role].apiKey}`),
    `  ${'PUBLIC'.padEnd(width)}(no credential: publicly disclosed information only)`,
  ].join('\n');
  const e = demo.examples;
  const pids = [...graph.processes.values()].map((child) => child.pid ?? 0);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
credit-graph is ready in ${seconds} s (${pids.length} processes, ${residentMegabytes(pids)} MB resident).

  Playground   ${url}   (open it in a browser; works offline)
  GraphQL      POST ${url}
  Operations   ${graph.gatewayUrl}/healthz  ${graph.gatewayUrl}/readyz  ${graph.gatewayUrl}/metrics
  Subgraphs    ${Object.entries(graph.ports)
    .filter(([name]) => name !== 'gateway')
    .map(([name, port]) => `${name} :${port}`)
    .join('  ')}
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

async function main(): Promise<void> {
  const startedAt = Date.now();
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(ROOT_DIR, 'data'));
  const demoFile = path.join(dataDir, 'demo.json');
  fs.mkdirSync(dataDir, { recursive: true });

  let demo: SeedSummary;
  if (fs.existsSync(demoFile)) {
    demo = JSON.parse(fs.readFileSync(demoFile, 'utf8')) as SeedSummary;
    console.log(`Reusing the demo data in ${dataDir} (delete it to seed again).`);
  } else {
    const subjects = flag('subjects', DEFAULT_DEMO_SUBJECTS);
    console.log(`First start: seeding ${subjects.toLocaleString('en')} subjects into ${dataDir} (one department at a time).`);
    // A half-finished earlier seed leaves databases without demo.json: start them over.
    // New databases: keys written for the old ones would name clients that no longer exist.
    fs.rmSync(path.join(dataDir, DEMO_CREDENTIALS_FILE), { force: true });
    demo = await seedInChildProcess(subjects, flag('seed', 1), { ...process.env, DATA_DIR: dataDir });
    fs.writeFileSync(demoFile, JSON.stringify(demo, null, 2));
  }
  const credentials = await demoCredentialsInChildProcess(dataDir);

  console.log('Starting the five department subgraphs and the gateway...');
  const logDir = path.join(dataDir, 'logs');
  const graph = await startGraph({ env: { DATA_DIR: dataDir }, logDir, readyTimeoutMs: 90_000 });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping every process...`);
    await graph.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  for (const [name, child] of graph.processes) {
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`${name} exited unexpectedly (${code ?? signal}); see ${path.join(logDir, `${name}.log`)}`);
    });
  }
  printWelcome(graph, demo, credentials, path.join(dataDir, DEMO_CREDENTIALS_FILE), startedAt, logDir);
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
