/**
 * `npm run bench [-- --subjects N --seed S --duration SECONDS --warmup SECONDS --connections N --rotation N --only stock,off,... --cases check-varied,batch,... --profile]`
 *
 * Gateways side by side, in one run, on the same five subgraphs, the same data
 * and the same queries, all on 127.0.0.1:
 *
 *   stock       plain ApolloServer + ApolloGateway, every default (scripts/bench/stock-gateway.ts)
 *   hive        Hive Gateway (@graphql-hive/gateway) serving the same supergraph file
 *   cache off   our gateway (gateway/main.ts) with CACHE=off
 *   cache warm  our gateway with its cache on (the default), primed before measuring
 *   bare        a bare Node http server answering with captured response bytes: the ceiling
 *
 * `--only` and `--cases` make a partial run (stock Apollo Gateway always runs,
 * as the reference); `--profile` writes CPU profiles (node --cpu-prof) of our
 * gateway and of the subgraphs to .bench/profiles/, one per process, for the
 * cases measured (open them in Chrome DevTools or speedscope).
 *
 * Seeds a dataset once into a temporary DATA_DIR (or the PostgreSQL of
 * DATABASE_URL, whose department schemas are replaced), starts the subgraphs
 * once, then starts each contender as its own process and checks its answers
 * against stock Apollo Gateway's, and measures every case for every
 * contender back to back with autocannon. Writes the
 * "Gateways side by side" section of docs/benchmarks.md and docs/benchmarks.svg;
 * the raw numbers go to .bench/results.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { ROOT_DIR } from '../../lib/config';
import { DEPARTMENTS, type SubgraphName } from '../../lib/departments';
import { startGraph } from '../graph-processes';
import { seed } from '../seed/index';
import { openLocalCluster, usesExternalDatabases } from '../postgres/cluster';
import { createPlan } from '../seed/plan';
import {
  cleanUp,
  cpuMeter,
  freePort,
  installExitHandlers,
  memorySampler,
  onExit,
  spawnLogged,
  stopProcess,
  waitForGraphQL,
} from './processes';
import { CASES, CONTENDERS, type BenchResults, type CaseKey, type ContenderKey, type ContenderResult, type Measurement } from './model';
import { writeReport } from './report';

const BENCH_DIR = path.join(ROOT_DIR, '.bench');

const PROFILE_QUERY = `query Profile($code: ID!) {
  subject(code: $code) {
    code name kind creditGrade
    lists { kind department reason sourceRecord since until }
    market {
      registration { name entityType status establishedOn registeredCapital address legalRepresentative { name residentId } }
      licences { decisionNumber licenceName decidedOn validUntil }
      penalties { decisionNumber violation decidedOn amount serious }
      abnormalOperations { listedOn removedOn reason }
      seriousViolations { listedOn removedOn reason }
      spotChecks { matter checkedOn outcome }
    }
    tax {
      latestRating { year level }
      creditRatings { year level score }
      majorViolations { caseNumber nature amount publishedOn removedOn }
      arrears { noticeNumber taxType amount settledOn }
    }
    courts {
      dishonestDebtors { caseNumber court performanceStatus listedOn removedOn }
      consumptionRestrictions { caseNumber court restrictions issuedOn liftedOn }
      enforcementCases { caseNumber court amount status filedOn closedOn }
    }
    environment {
      latestRating { year level }
      creditRatings { year level }
      penalties { decisionNumber violation decidedOn serious amount }
      dischargePermits { permitNumber industry status validUntil }
    }
  }
}`;

const CHECK_QUERY = `query Check($code: ID!) {
  creditCheck(code: $code, scenario: ADMINISTRATIVE_LICENSING) { checkId verdict missingSources measures { code trigger } }
}`;

const BATCH_QUERY = `query Bidders($codes: [ID!]!) {
  creditChecks(codes: $codes, scenario: PUBLIC_RESOURCE_TRADING) { code verdict missingSources measures { code effect trigger initiatingDepartment } }
}`;

/** Credentials every request carries (only our gateway reads them). */
let authHeaders: Record<string, string> = {};

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

interface Options {
  subjects: number;
  seed: number;
  duration: number;
  warmup: number;
  connections: number;
  rotation: number;
  /** Contenders to run (all when empty); stock Apollo Gateway always runs, as the reference. */
  only: ContenderKey[];
  /** Cases to measure (all when empty). */
  cases: CaseKey[];
  /** Write CPU profiles of our gateway and the subgraphs. */
  profile: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      subjects: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      rotation: { type: 'string', default: '1000' },
      only: { type: 'string' },
      cases: { type: 'string' },
      profile: { type: 'boolean', default: false },
    },
  });
  const only = values.only?.split(',').map((key) => key.trim()) ?? [];
  for (const key of only) if (!(key in CONTENDERS)) throw new Error(`--only takes contenders among ${Object.keys(CONTENDERS).join(', ')}, got '${key}'`);
  const cases = values.cases?.split(',').map((key) => key.trim()) ?? [];
  for (const key of cases) if (!(key in CASES)) throw new Error(`--cases takes cases among ${Object.keys(CASES).join(', ')}, got '${key}'`);
  const number = (name: Exclude<keyof typeof values, 'only' | 'cases' | 'profile'>, min: number) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} takes a number of at least ${min}, got '${values[name]}'`);
    return value;
  };
  return {
    subjects: number('subjects', 1000),
    seed: number('seed', 0),
    duration: number('duration', 1),
    warmup: number('warmup', 0),
    connections: number('connections', 1),
    rotation: number('rotation', 10),
    only: only as ContenderKey[],
    cases: cases as CaseKey[],
    profile: values.profile ?? false,
  };
}

/** `checkId` is new on every credit check: everything else must be the same bytes of meaning. */
function normalise(answer: unknown): unknown {
  if (Array.isArray(answer)) return answer.map(normalise);
  if (answer && typeof answer === 'object') {
    return Object.fromEntries(Object.entries(answer).map(([key, value]) => [key, key === 'checkId' ? typeof value : normalise(value)]));
  }
  return answer;
}

function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const difference = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (difference) return difference;
    }
  }
  return `${at}: expected ${JSON.stringify(a)?.slice(0, 300)}, got ${JSON.stringify(b)?.slice(0, 300)}`;
}

async function post(url: string, caseKey: string, payload: string): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-bench-case': caseKey, ...authHeaders },
    body: payload,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 500)}`);
  return { text, ms };
}

function parseAnswer(text: string, what: string): unknown {
  const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (answer.errors !== undefined || answer.data == null) throw new Error(`${what} answered with errors: ${text.slice(0, 800)}`);
  return normalise(answer);
}

/** One request per case, measured with autocannon. */
interface Load {
  caseKey: CaseKey;
  /** Request bodies, sent in turn across every connection. */
  bodies: string[];
  connections: number;
}

/** The first answer with an error in the last run, to show what failed. */
let firstError: string | undefined;

async function runLoad(url: string, load: Load, seconds: number | { amount: number }): Promise<autocannon.Result> {
  let next = 0;
  firstError = undefined;
  const bodies = load.bodies;
  return autocannon({
    url,
    connections: load.connections,
    ...(typeof seconds === 'number' ? { duration: seconds } : { amount: seconds.amount }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', 'x-bench-case': load.caseKey, ...authHeaders },
        body: bodies[0]!,
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
    // Any GraphQL error under load counts as a mismatch (a gateway timing out a subgraph still answers 200).
    verifyBody: (text) => {
      if (!text.includes('"errors":')) return true;
      firstError ??= text.trim().slice(0, 400);
      return false;
    },
  });
}

interface Contender {
  key: ContenderKey;
  start(port: number, logFile: string): ReturnType<typeof spawnLogged>;
  /** Send every rotated body once before measuring, so a cache holds all of them. */
  prime?: boolean;
}

async function main(): Promise<void> {
  installExitHandlers();
  const opts = options();
  const startedAt = new Date();
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const logDir = path.join(BENCH_DIR, 'logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  const { NODE_OPTIONS: _nodeOptions, REDIS_URL: _redis, ...parentEnv } = process.env;
  const usesPostgres = usesExternalDatabases(process.env);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credit-graph-bench-'));
  fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when the benchmark runs as root
  onExit(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  // The gateway signs each caller's identity for the subgraphs (IDENTITY_SIGNING_KEY on every service).
  const env: NodeJS.ProcessEnv = {
    ...parentEnv,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    IDENTITY_SIGNING_KEY: process.env.IDENTITY_SIGNING_KEY ?? crypto.randomBytes(32).toString('base64url'),
  };
  const jwtSecret = crypto.randomBytes(32).toString('base64url');
  authHeaders = {
    authorization: `Bearer ${await new SignJWT({ role: 'CREDIT_OFFICE' }).setProtectedHeader({ alg: 'HS256' }).setSubject('benchmark').setExpirationTime('3h').sign(Buffer.from(jwtSecret))}`,
    'x-purpose': 'benchmark',
  };

  // 1. Data, once.
  if (!usesPostgres) {
    const cluster = await openLocalCluster({ dataDir, port: await freePort() });
    onExit(() => cluster.stop());
  }
  console.log(`Seeding ${opts.subjects.toLocaleString('en')} subjects (seed ${opts.seed}) into ${usesPostgres ? 'PostgreSQL (DATABASE_URL)' : `the embedded PostgreSQL in ${dataDir}`}...`);
  const seedStarted = performance.now();
  const summary = await seed({ subjects: opts.subjects, seed: opts.seed, env, reset: true });
  console.log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const plan = createPlan({ subjects: opts.subjects, seed: opts.seed, referenceDate: summary.referenceDate });
  const codes = plan.subjects.map((subject) => subject.code);
  if (codes[plan.showcase.dishonestDebtor] !== summary.examples.dishonestDebtor) throw new Error('the plan does not reproduce the seeded codes');
  const spread = (count: number, offset: number) => Array.from({ length: count }, (_, i) => codes[(offset + Math.floor((i * codes.length) / count)) % codes.length]!);
  const rotation = spread(Math.min(opts.rotation, codes.length), 0);
  const bidders = spread(1000, 7);
  const repeated = summary.examples.dishonestDebtor;

  // 2. The five subgraphs, once, on free ports.
  const ports: Partial<Record<SubgraphName, number>> = {};
  for (const d of DEPARTMENTS) ports[d.name] = await freePort();
  console.log('Starting the five subgraphs...');
  const profileDir = path.join(BENCH_DIR, 'profiles');
  if (opts.profile) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    fs.mkdirSync(profileDir, { recursive: true });
  }
  const profiling = (name: string): string[] => (opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : []);
  const graph = await startGraph({ env, ports, logDir, gateway: false, readyTimeoutMs: 120_000, nodeArgs: profiling('subgraphs') });
  onExit(() => graph.stop());
  const subgraphUrl = (name: string) => `http://127.0.0.1:${graph.ports[name as SubgraphName]}/graphql`;
  const supergraphFile = path.join(BENCH_DIR, 'supergraph.graphql');
  fs.writeFileSync(
    supergraphFile,
    fs
      .readFileSync(path.join(ROOT_DIR, 'schema', 'supergraph.graphql'), 'utf8')
      .replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (_, name: string) => `@join__graph(name: "${name}", url: "${subgraphUrl(name)}")`),
  );

  // 3. The contenders.
  const node = process.execPath;
  const contenderEnv = { ...env, NODE_ENV: 'production' };
  // Our gateway authorises every request; the benchmark calls it as the credit office (a JWT that
  // every contender receives and only ours reads), without a rate limit.
  const ourGatewayEnv = { JWT_SECRET: jwtSecret, RATE_LIMIT_PER_MINUTE: '1000000000' };
  const ours = (cache: 'on' | 'off', profiled = true) => (port: number, logFile: string) =>
    spawnLogged(
      node,
      [
        ...(profiled ? profiling(`gateway-cache-${cache}`) : []),
        '--import', 'tsx', 'gateway/main.ts', '--supergraph', supergraphFile, '--port', String(port),
        ...DEPARTMENTS.flatMap((d) => ['--subgraph', `${d.name}=${subgraphUrl(d.name)}`]),
      ],
      { ...contenderEnv, ...ourGatewayEnv, ...(cache === 'off' ? { CACHE: 'off' } : {}) },
      logFile,
    );
  const bodiesFile = path.join(BENCH_DIR, 'bare-bodies.json');
  const contenders: Contender[] = [
    { key: 'stock', start: (port, log) => spawnLogged(node, ['--import', 'tsx', 'scripts/bench/stock-gateway.ts', '--supergraph', supergraphFile, '--port', String(port)], contenderEnv, log) },
    {
      key: 'hive',
      start: (port, log) =>
        spawnLogged(
          node,
          [
            '--import', 'tsx', path.join(ROOT_DIR, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js'),
            'supergraph', supergraphFile, '--config-path', path.join(ROOT_DIR, 'scripts', 'bench', 'hive-gateway.config.ts'),
            '--host', '127.0.0.1', '--port', String(port),
          ],
          contenderEnv,
          log,
        ),
    },
    { key: 'off', start: ours('off') },
    { key: 'warm', start: ours('on'), prime: true },
    { key: 'bare', start: (port, log) => spawnLogged(node, ['--import', 'tsx', 'scripts/bench/bare-server.ts', '--port', String(port), '--bodies', bodiesFile], contenderEnv, log) },
  ];

  const loads: Record<Exclude<CaseKey, 'batch'>, Load> = {
    'profile-varied': { caseKey: 'profile-varied', bodies: rotation.map((code) => body(PROFILE_QUERY, { code })), connections: opts.connections },
    'profile-same': { caseKey: 'profile-same', bodies: [body(PROFILE_QUERY, { code: repeated })], connections: opts.connections },
    'check-varied': { caseKey: 'check-varied', bodies: rotation.map((code) => body(CHECK_QUERY, { code })), connections: opts.connections },
    'check-same': { caseKey: 'check-same', bodies: [body(CHECK_QUERY, { code: repeated })], connections: opts.connections },
  };
  const batchLoad: Load = { caseKey: 'batch', bodies: [body(BATCH_QUERY, { codes: bidders })], connections: 1 };
  // What each case is checked against before it is measured: a few rotated subjects and the repeated one.
  const samples: Record<Exclude<CaseKey, 'batch'>, string[]> = {
    'profile-varied': [rotation[1]!, rotation[Math.floor(rotation.length / 2)]!, rotation[rotation.length - 1]!],
    'profile-same': [repeated],
    'check-varied': [rotation[1]!, rotation[Math.floor(rotation.length / 2)]!, rotation[rotation.length - 1]!],
    'check-same': [repeated],
  };
  const sampleBody = (caseKey: Exclude<CaseKey, 'batch'>, code: string) => body(caseKey.startsWith('profile') ? PROFILE_QUERY : CHECK_QUERY, { code });

  const reference = new Map<string, unknown>(); // case + code → normalised answer of stock Apollo Gateway
  const bare: Record<string, string> = { ready: '{"data":{"__typename":"Query"}}' };
  const results: ContenderResult[] = [];

  // The subgraphs' first requests (opening tables, filling caches) should not be charged to whichever gateway goes first.
  console.log('Warming the subgraphs up through our gateway (cache off)...');
  {
    const port = await freePort();
    const logFile = path.join(logDir, 'subgraph-warmup.log');
    const child = ours('off', false)(port, logFile);
    const url = `http://127.0.0.1:${port}/graphql`;
    await waitForGraphQL(url, child, 60_000, logFile);
    for (let i = 0; i < 2; i++) await post(url, 'batch', batchLoad.bodies[0]!);
    await runLoad(url, loads['profile-varied'], 5);
    await runLoad(url, loads['check-varied'], 3);
    await stopProcess(child);
  }

  // 1. Every contender started in turn and checked (stock first: its answers are the reference and the bare
  // server's bytes), then left running, so that each case is measured for every contender back to back:
  // the host is shared, and minutes between two contenders' rows of one case would measure its load instead.
  interface Running {
    contender: Contender;
    label: string;
    url: string;
    child: ReturnType<typeof spawnLogged>;
    memory: ReturnType<typeof memorySampler>;
    result: ContenderResult;
  }
  const running: Running[] = [];
  for (const contender of contenders) {
    if (opts.only.length > 0 && contender.key !== 'stock' && !opts.only.includes(contender.key)) continue;
    const label = CONTENDERS[contender.key].label;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const logFile = path.join(logDir, `${contender.key}.log`);
    if (contender.key === 'bare') fs.writeFileSync(bodiesFile, JSON.stringify(bare));
    console.log(`\n${label}`);
    const child = contender.start(port, logFile);
    try {
      await waitForGraphQL(url, child, 90_000, logFile);
    } catch (error) {
      if (contender.key !== 'hive') throw new Error(`${label} did not start: ${(error as Error).message}`);
      // Hive Gateway is a third-party contender: if it cannot run here the report says so, with the error.
      console.error(`  ${label} cannot run here: ${(error as Error).message}`);
      results.push({ contender: contender.key, unavailable: (error as Error).message.split('\n').slice(0, 12).join('\n'), measurements: [], peakRssBytes: 0 });
      await stopProcess(child);
      continue;
    }
    const result: ContenderResult = { contender: contender.key, measurements: [], peakRssBytes: 0 };
    results.push(result);
    running.push({ contender, label, url, child, memory: memorySampler(child.pid), result });

    // Cold: the first 1,000-bidder batch after the process started (its cache, if any, is empty).
    const cold = await post(url, 'batch', batchLoad.bodies[0]!);
    const batchAnswer = parseAnswer(cold.text, `${label}, 1,000-bidder batch`);
    if (contender.key === 'stock') {
      reference.set('batch', batchAnswer);
      bare.batch = cold.text;
    } else if (!isDeepStrictEqual(reference.get('batch'), batchAnswer)) {
      throw new Error(`${label} answers the 1,000-bidder batch differently from stock Apollo Gateway: ${firstDifference(reference.get('batch'), batchAnswer)}`);
    }
    result.batchColdMs = cold.ms;
    console.log(`  1,000-bidder batch, cold: ${cold.ms.toFixed(0)} ms`);

    // Correct answers before any measurement.
    for (const caseKey of Object.keys(loads) as Array<keyof typeof loads>) {
      for (const code of samples[caseKey]) {
        const { text } = await post(url, caseKey, sampleBody(caseKey, code));
        const answer = parseAnswer(text, `${label}, ${caseKey} for ${code}`);
        const key = `${caseKey}:${code}`;
        if (contender.key === 'stock') {
          reference.set(key, answer);
          if (code === repeated) bare[caseKey] = text;
        } else if (contender.key !== 'bare' || code === repeated) {
          if (!isDeepStrictEqual(reference.get(key), answer)) {
            throw new Error(`${label} answers ${caseKey} for ${code} differently from stock Apollo Gateway: ${firstDifference(reference.get(key), answer)}`);
          }
        }
      }
    }
    console.log('  answers match stock Apollo Gateway’s');
    if (contender.key === 'stock') {
      // The bare server answers the varied cases with one captured answer, the same size as the others'.
      bare['profile-varied'] = bare['profile-same']!;
      bare['check-varied'] = bare['check-same']!;
    }
  }

  // 2. Each case, every contender in turn.
  // Every process of the benchmark: this one (the load generator), the subgraphs and the contenders.
  const pids = () => [process.pid, ...running.map((r) => r.child.pid), ...[...graph.processes.values()].map((p) => p.pid)].filter((pid): pid is number => pid !== undefined);
  const measured = (caseKey: CaseKey) => opts.cases.length === 0 || opts.cases.includes(caseKey);
  for (const caseKey of Object.keys(loads) as Array<keyof typeof loads>) {
    if (!measured(caseKey)) continue;
    console.log(`\n${CASES[caseKey].label}`);
    const load = loads[caseKey];
    for (const { contender, url, memory, result } of running) {
      // A credit check is recorded every time, but the departments' evidence it is decided from is cached like any entity.
      if (contender.prime && load.bodies.length > 1) await runLoad(url, load, { amount: load.bodies.length });
      if (opts.warmup > 0) await runLoad(url, load, opts.warmup);
      memory.reset();
      const meter = cpuMeter(pids);
      const run = await runLoad(url, load, opts.duration);
      result.measurements.push(measurement(caseKey, run, memory.peak(), meter().others));
      report(contender.key, result.measurements.at(-1)!);
    }
  }
  // Warm: the same batch again and again, one at a time.
  if (measured('batch')) {
    console.log(`\n${CASES.batch.label}`);
    for (const { contender, url, memory, result } of running) {
      await runLoad(url, batchLoad, { amount: 2 });
      memory.reset();
      const meter = cpuMeter(pids);
      const warm = await runLoad(url, batchLoad, opts.duration);
      result.measurements.push(measurement('batch', warm, memory.peak(), meter().others));
      report(contender.key, result.measurements.at(-1)!);
    }
  }
  for (const { child, memory, result } of running) {
    result.peakRssBytes = memory.overall();
    memory.stop();
    await stopProcess(child);
  }

  const benchResults: BenchResults = {
    date: startedAt.toISOString(),
    command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memoryBytes: os.totalmem(),
      node: process.version,
      os: `${os.type()} ${os.release()}`,
    },
    settings: { ...opts, database: usesPostgres ? 'PostgreSQL (DATABASE_URL)' : 'embedded PostgreSQL 16', seconds: Math.round((Date.now() - startedAt.getTime()) / 1000) },
    cases: CASES,
    results,
  };
  fs.writeFileSync(path.join(BENCH_DIR, 'results.json'), JSON.stringify(benchResults, null, 2));
  if (opts.profile) console.log(`\nCPU profiles (one per process, written as each stopped) in ${profileDir}`);
  if (opts.only.length > 0 || opts.cases.length > 0) {
    console.log(`\nA partial run (--only, --cases): wrote .bench/results.json only, not the docs (${benchResults.settings.seconds} s in all).`);
  } else {
    writeReport(benchResults, ROOT_DIR);
    console.log(`\nWrote docs/benchmarks.md, docs/benchmarks.svg and .bench/results.json (${benchResults.settings.seconds} s in all).`);
  }
}

function measurement(caseKey: CaseKey, run: autocannon.Result, peakRssBytes: number, otherCpu: number): Measurement {
  const failed = run.non2xx + run.errors + run.timeouts + run.mismatches;
  return {
    case: caseKey,
    requestsPerSecond: run.requests.total / run.duration,
    p50Ms: run.latency.p50,
    p99Ms: run.latency.p99,
    requests: run.requests.total,
    failed,
    peakRssBytes,
    otherCpu,
    ...(failed > 0 && firstError ? { firstError } : {}),
  };
}

function report(contender: ContenderKey, m: Measurement): void {
  const failed = m.failed > 0 ? `  (${m.failed} failed or with errors!)` : '';
  console.log(
    `  ${CONTENDERS[contender].short.padEnd(24)} ${m.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${String(m.p50Ms).padStart(5)} ms  p99 ${String(m.p99Ms).padStart(5)} ms  RSS ${(m.peakRssBytes / 2 ** 20).toFixed(0)} MB  others' CPU ${Math.round(m.otherCpu * 100)} %${failed}`,
  );
}

main()
  .then(() => cleanUp())
  .catch(async (error: unknown) => {
    console.error(`\nbench failed: ${(error as Error).message}`);
    await cleanUp();
    process.exit(1);
  });
