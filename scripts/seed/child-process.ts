/**
 * Seeds in a child process (`scripts/seed.ts --reset`): the embedded
 * databases it creates cost hundreds of megabytes that a process does not
 * hand back when they close, and the callers (the demo, the benchmark) stay
 * up for a long time after seeding.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/config';
import type { SeedSummary } from './index';

export function seedInChildProcess(subjects: number, seed: number, env: NodeJS.ProcessEnv): Promise<SeedSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT_DIR, 'scripts', 'seed.ts'), '--subjects', String(subjects), '--seed', String(seed), '--reset'],
      { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`seeding failed (exit ${code}); see the messages above`));
      else resolve(JSON.parse(output) as SeedSummary);
    });
  });
}
