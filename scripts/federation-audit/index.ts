/**
 * The public federation gateway audit (github.com/graphql-hive/federation-gateway-audit,
 * 199 tests in 46 suites) against our gateway and stock Apollo Gateway, in one run:
 *
 *   npm run audit:federation -- --audit-dir PATH [--only ours|stock] [--node22 PATH] [--restricted ROUNDS]
 *
 * PATH is a local checkout of the audit (its code is never copied here). It
 * needs Node 22: `--node22` names a binary, else the npm package node@22 is
 * installed into PATH/.node22. Its dependencies come from
 * `npm ci --omit=dev --ignore-scripts` (a dev dependency of its own does not
 * install), graphql from this repository. The audit serves its subgraphs on
 * :4200, starts each gateway on :4000 and kills whatever listens there, so
 * everything runs in a network namespace of its own (`ip netns`, root).
 *
 * Our gateway runs as it would in production but for the supergraph: cache on
 * (in-process), rate and complexity limits at their defaults, and field-level
 * authorisation ON — each audit supergraph gets the access spec and a policy
 * letting PUBLIC read every object type and interface (open-policies.ts).
 * Stock is scripts/bench/stock-gateway.ts: Apollo Server 5 + Apollo Gateway
 * 2.14.4, every option at its default.
 *
 * `--restricted 0,1,2` instead sends every audit query to our gateway under
 * policies that forbid a third of each supergraph's fields to PUBLIC (a
 * different third per round; restricted.ts) and lists every answer with an
 * error the client did not cause.
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT_DIR } from '../../lib/config';

interface Contender {
  key: 'ours' | 'stock';
  title: string;
  /** The shell lines that start it on :4000 once `supergraph.graphql` is in the directory. */
  start: string;
  health: string;
}

const CONTENDERS: Contender[] = [
  {
    key: 'ours',
    title: 'credit-graph gateway (cache, limits, field-level authorisation on)',
    start: [
      `"${process.execPath}" --import tsx scripts/federation-audit/open-policies.ts "$DIR/supergraph.graphql" "$DIR/supergraph.access.graphql"`,
      `exec "${process.execPath}" --import tsx gateway/main.ts --supergraph "$DIR/supergraph.access.graphql" --port 4000`,
    ].join('\n'),
    health: 'http://127.0.0.1:4000/healthz',
  },
  {
    key: 'stock',
    title: 'stock Apollo Gateway 2.14.4 (Apollo Server 5)',
    start: `exec "${process.execPath}" --import tsx scripts/bench/stock-gateway.ts --supergraph "$DIR/supergraph.graphql" --port 4000 --health-port 4001`,
    health: 'http://127.0.0.1:4001/',
  },
];

export interface AuditResult {
  key: Contender['key'];
  passed: number;
  total: number;
  /** Suite id → the outcome of each of its tests ('.' passed, 'X' failed). */
  suites: Map<string, string>;
}

/** results.txt of the audit: a suite id line, then a line of `.`/`X`, per suite. */
export function readResults(text: string): Omit<AuditResult, 'key'> {
  const lines = text.split('\n');
  const suites = new Map<string, string>();
  for (let i = 0; i + 1 < lines.length && lines[i] !== '' && lines[i] !== '---'; i += 2) suites.set(lines[i]!, lines[i + 1]!);
  const all = [...suites.values()].join('');
  return { suites, passed: [...all].filter((c) => c === '.').length, total: [...all].filter((c) => c === '.' || c === 'X').length };
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** The audit's dependencies and Node 22, installed into the checkout on first use. */
async function prepare(auditDir: string, node22Flag: string | undefined): Promise<string> {
  if (!fs.existsSync(path.join(auditDir, 'src', 'cli.ts'))) throw new Error(`${auditDir} is not a checkout of graphql-hive/federation-gateway-audit (no src/cli.ts)`);
  if (!fs.existsSync(path.join(auditDir, 'node_modules', 'yargs'))) {
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: auditDir });
  }
  // graphql is a dev and peer dependency of the audit: --omit=dev leaves it out; ours (16.x) serves.
  const graphql = path.join(auditDir, 'node_modules', 'graphql');
  if (!fs.existsSync(graphql)) fs.symlinkSync(path.join(ROOT_DIR, 'node_modules', 'graphql'), graphql, 'dir');
  const node22 = node22Flag ?? path.join(auditDir, '.node22', 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(node22)) {
    if (node22Flag) throw new Error(`--node22 ${node22Flag} does not exist`);
    await run('npm', ['install', '--prefix', path.join(auditDir, '.node22'), '--no-audit', '--no-fund', 'node@22']);
  }
  return node22;
}

/** tsx's loader, for Node 22 running the audit's TypeScript from its own directory. */
const tsxLoader = () => `file://${path.join(ROOT_DIR, 'node_modules', 'tsx', 'dist', 'loader.mjs')}`;

function auditEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Gateways under tsx on a shared machine take longer than the audit's 5 s to answer.
    GATEWAY_TIMEOUT: '60000',
    IDENTITY_SIGNING_KEY: crypto.randomBytes(32).toString('base64url'),
    DATA_DIR: path.join(dir, 'data'),
    LOG_LEVEL: 'warn',
  };
}

/** Runs `body` with a network namespace of its own (loopback up); afterwards stops whatever still runs in it, then removes it. */
async function inNamespace(namespace: string, body: (namespace: string) => Promise<void>): Promise<void> {
  execFileSync('ip', ['netns', 'add', namespace]);
  try {
    execFileSync('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
    await body(namespace);
  } finally {
    // Whatever the audit left running in the namespace is ours: stop it, then the namespace.
    const pids = execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    execFileSync('ip', ['netns', 'delete', namespace]);
  }
}

/** The restricted rounds: the audit's subgraphs served, restricted.ts asking through our gateway. */
async function restricted(rounds: number[], auditDir: string, node22: string, workDir: string): Promise<void> {
  for (const round of rounds) {
    await inNamespace(`cg-fedaudit-${process.pid}-restricted-${round}`, async (namespace) => {
      const serve = spawn('ip', ['netns', 'exec', namespace, node22, '--import', tsxLoader(), 'src/cli.ts', 'serve', '--port', '4200'], {
        cwd: auditDir,
        env: auditEnv(workDir),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      try {
        await run('ip', ['netns', 'exec', namespace, process.execPath, '--import', 'tsx', 'scripts/federation-audit/restricted.ts', String(round)], { cwd: ROOT_DIR });
      } finally {
        serve.kill('SIGTERM');
      }
    });
  }
}

async function audit(contender: Contender, auditDir: string, node22: string, workDir: string): Promise<AuditResult> {
  const dir = path.join(workDir, contender.key);
  fs.mkdirSync(dir, { recursive: true });
  const tsx = tsxLoader();
  fs.writeFileSync(
    path.join(dir, 'run.sh'),
    [
      'set -e',
      `DIR="${dir}"`,
      `cd "${auditDir}" && "${node22}" --import "${tsx}" src/cli.ts supergraph --cwd "$DIR" --test "$1"`,
      `cd "${ROOT_DIR}"`,
      contender.start,
      '',
    ].join('\n'),
  );
  await inNamespace(`cg-fedaudit-${process.pid}-${contender.key}`, async (namespace) => {
    console.log(`\n== ${contender.title}`);
    await run(
      'ip',
      ['netns', 'exec', namespace, node22, '--import', tsxLoader(), 'src/cli.ts', 'test', '--cwd', dir, '--run-script', './run.sh', '--graphql', 'http://127.0.0.1:4000/graphql', '--healthcheck', contender.health, '--write', 'results.txt'],
      { cwd: auditDir, env: auditEnv(dir) },
    );
  });
  return { key: contender.key, ...readResults(fs.readFileSync(path.join(dir, 'results.txt'), 'utf8')) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'audit-dir': { type: 'string' }, only: { type: 'string' }, node22: { type: 'string' }, restricted: { type: 'string' } } });
  if (!values['audit-dir']) throw new Error('usage: npm run audit:federation -- --audit-dir PATH [--only ours|stock] [--node22 PATH] [--restricted ROUNDS]');
  if (values.only && !CONTENDERS.some((c) => c.key === values.only)) throw new Error(`--only must be ours or stock, got '${values.only}'`);
  const auditDir = path.resolve(values['audit-dir']);
  const node22 = await prepare(auditDir, values.node22);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-fedaudit-'));
  if (values.restricted !== undefined) {
    const rounds = values.restricted.split(',').map(Number);
    if (rounds.some((round) => !Number.isInteger(round) || round < 0)) throw new Error(`--restricted takes rounds such as 0,1,2, got '${values.restricted}'`);
    return restricted(rounds, auditDir, node22, workDir);
  }
  const results: AuditResult[] = [];
  for (const contender of CONTENDERS.filter((c) => !values.only || c.key === values.only)) results.push(await audit(contender, auditDir, node22, workDir));

  console.log('\nFederation gateway audit');
  for (const result of results) {
    const failing = [...result.suites].filter(([, outcomes]) => outcomes.includes('X')).map(([id, outcomes]) => `${id} ${outcomes}`);
    console.log(`  ${CONTENDERS.find((c) => c.key === result.key)!.title}: ${result.passed} of ${result.total} passed`);
    for (const line of failing) console.log(`    failing: ${line}`);
  }
  console.log(`  logs: ${workDir}/<contender>/logs`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
