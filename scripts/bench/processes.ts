/**
 * Process plumbing for the benchmark: free ports, contender processes that
 * are always killed when the benchmark ends (normally, on an error or on
 * Ctrl-C), readiness by a real GraphQL request, and resident memory sampled
 * from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/config';
import { stopChild } from '../graph-processes';

/** A port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<void>> = [];
let exiting = false;

/** Registers work to run before the benchmark exits, whatever the reason (stopping the subgraphs). */
export function onExit(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function cleanUp(): Promise<void> {
  await Promise.allSettled([...children].map((child) => stopChild(child, 5_000)));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
}

/** Ctrl-C, SIGTERM and an uncaught error stop every child before the benchmark exits. */
export function installExitHandlers(): void {
  const bail = (code: number) => {
    if (exiting) return;
    exiting = true;
    void cleanUp().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => {
    console.error('\ninterrupted: stopping every process...');
    bail(130);
  });
  process.once('SIGTERM', () => bail(143));
  process.on('uncaughtException', (error) => {
    console.error(error);
    bail(1);
  });
  // Last resort when the process exits without the handlers above having finished.
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

/** Spawns a process whose output goes to `logFile`; it is killed when the benchmark ends. */
export function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const child = spawn(command, args, { cwd: ROOT_DIR, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  await stopChild(child, 5_000);
  children.delete(child);
}

export function logTail(logFile: string, lines = 20): string {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Waits until `url` answers `{ __typename }` with data; fails early if the process exits. */
export async function waitForGraphQL(url: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before answering at ${url}\n--- ${logFile} ---\n${logTail(logFile)}`);
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bench-case': 'ready' },
        body: '{"query":"{ __typename }"}',
        signal: AbortSignal.timeout(2_000),
      });
      const text = await response.text();
      if (response.ok && text.includes('"__typename"')) return;
      last = `HTTP ${response.status}: ${text.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer at ${url} within ${timeoutMs} ms (last: ${last})\n--- ${logFile} ---\n${logTail(logFile)}`);
}

/** Resident set size of one process in bytes (Linux /proc), 0 when unknown. */
export function residentBytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

/** Samples a process's resident memory every 100 ms; `peak()` since the last `reset()`. */
export function memorySampler(pid: number | undefined): { peak(): number; reset(): void; overall(): number; stop(): void } {
  let peak = 0;
  let overall = 0;
  const sample = () => {
    const rss = residentBytes(pid);
    peak = Math.max(peak, rss);
    overall = Math.max(overall, rss);
  };
  sample();
  const timer = setInterval(sample, 100);
  timer.unref();
  return {
    peak: () => (sample(), peak),
    reset: () => {
      peak = 0;
      sample();
    },
    overall: () => (sample(), overall),
    stop: () => clearInterval(timer),
  };
}

/** Jiffies the whole machine spent, and spent busy, since boot (/proc/stat). */
function machineTicks(): { total: number; busy: number } {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, n) => sum + n, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { total, busy: total - idle };
  } catch {
    return { total: 0, busy: 0 };
  }
}

/** User and system jiffies of one process, every thread included (/proc/<pid>/stat). */
function processTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
  } catch {
    return 0;
  }
}

/**
 * How much of the machine's CPU went to processes that are not part of the
 * benchmark while it measured: the host is shared, and a test suite running
 * beside it halves what a contender gets.
 */
export function cpuMeter(pids: () => number[]): () => { busy: number; others: number } {
  const machine = machineTicks();
  const ours = new Map(pids().map((pid) => [pid, processTicks(pid)]));
  return () => {
    const now = machineTicks();
    const total = now.total - machine.total;
    let own = 0;
    for (const pid of pids()) own += processTicks(pid) - (ours.get(pid) ?? 0);
    if (total <= 0) return { busy: 0, others: 0 };
    return { busy: (now.busy - machine.busy) / total, others: Math.max(0, (now.busy - machine.busy - own) / total) };
  };
}
