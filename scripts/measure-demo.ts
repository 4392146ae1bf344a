/**
 * `npm run measure:demo [-- --subjects N]`: how long `npm start` takes to be
 * ready and how much memory the whole demo holds, on a first start (seeding)
 * and a second start (reusing the data). Resident memory is summed over every
 * process of the demo (npm, the launcher, the seed, the seven services and
 * the embedded PostgreSQL server with its backends),
 * sampled every 100 ms from /proc, so it works on Linux only.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../lib/config';

interface Run {
  readySeconds: number;
  peakMegabytes: number;
  restMegabytes: number;
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function treeResidentKilobytes(root: number): number {
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      continue; // exited between listing and reading
    }
    stack.push(...childrenOf(pid));
  }
  return total;
}

async function measureStart(dataDir: string, subjects: number): Promise<Run> {
  const started = Date.now();
  const child = spawn('npm', ['start', '--', '--subjects', String(subjects)], {
    cwd: ROOT_DIR,
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', () => {});
  let peak = 0;
  const sample = () => (peak = Math.max(peak, treeResidentKilobytes(child.pid!)));
  const sampler = setInterval(sample, 100);
  try {
    const readySeconds = await new Promise<number>((resolve, reject) => {
      const check = setInterval(() => {
        if (output.includes('is ready')) {
          clearInterval(check);
          resolve((Date.now() - started) / 1000);
        } else if (child.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`npm start exited with ${child.exitCode}:\n${output}`));
        }
      }, 50);
    });
    // Let start-up garbage settle before reading the resting footprint.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    sample();
    const rest = treeResidentKilobytes(child.pid!);
    return { readySeconds, peakMegabytes: Math.round(peak / 1024), restMegabytes: Math.round(rest / 1024) };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGINT');
      await exited;
    }
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--subjects');
  const subjects = at >= 0 ? Number(process.argv[at + 1]) : 20_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-demo-'));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as the postgres user when this runs as root
  try {
    const first = await measureStart(dataDir, subjects);
    const second = await measureStart(dataDir, subjects);
    console.log(`| start | ready after | peak resident | resident at rest |
|---|---|---|---|
| first (seeds ${subjects.toLocaleString('en')} subjects) | ${first.readySeconds.toFixed(1)} s | ${first.peakMegabytes} MB | ${first.restMegabytes} MB |
| second (reuses the data) | ${second.readySeconds.toFixed(1)} s | ${second.peakMegabytes} MB | ${second.restMegabytes} MB |`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
