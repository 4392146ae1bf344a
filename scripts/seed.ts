/**
 * `npm run seed -- --subjects N [--seed S] [--reset] [--reference-date YYYY-MM-DD]`
 *
 * Writes one synthetic dataset into every department's database: the
 * embedded PostgreSQL under DATA_DIR (through the running graph's server, or
 * one started for the seed), or the servers named by *_DATABASE_URL /
 * DATABASE_URL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataDirFrom } from '../lib/config';
import { usesExternalDatabases, withLocalCluster } from './postgres/cluster';
import { DEMO_CREDENTIALS_FILE } from './demo-credentials';
import type { SeedSummary } from './seed/index';
import { seed } from './seed/index';
import { MIN_SUBJECTS } from './seed/plan';

const USAGE = 'usage: npm run seed -- --subjects N [--seed S] [--reset] [--reference-date YYYY-MM-DD]';

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} takes a whole number of at least ${min}, got '${raw}'`);
  return value;
}

/**
 * The embedded databases of DATA_DIR now hold this dataset: `npm start`
 * reuses it (DATA_DIR/demo.json names its example codes) instead of seeding
 * its own over it. A reset also replaced the credit office's client register,
 * so the demo's keys no longer exist: their file goes, and the next
 * `npm start` registers new ones.
 */
function recordDemoData(dataDir: string, summary: SeedSummary, reset: boolean): void {
  fs.writeFileSync(path.join(dataDir, 'demo.json'), JSON.stringify(summary, null, 2));
  if (reset) fs.rmSync(path.join(dataDir, DEMO_CREDENTIALS_FILE), { force: true });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subjects: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      'reference-date': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const dataDir = dataDirFrom();
  const summary = await withLocalCluster(process.env, dataDir, () => seed({
    subjects: wholeNumber('subjects', values.subjects, 10_000, MIN_SUBJECTS),
    seed: wholeNumber('seed', values.seed, 1, 0),
    reset: values.reset,
    referenceDate: values['reference-date'],
  }));
  if (!usesExternalDatabases(process.env)) recordDemoData(dataDir, summary, values.reset);
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${(error as Error).message}\n${USAGE}`);
  process.exit(1);
});
