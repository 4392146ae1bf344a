/**
 * `npm run seed -- --subjects N [--seed S] [--reset] [--reference-date YYYY-MM-DD]`
 *
 * Writes one synthetic dataset into every department's database: the
 * embedded PostgreSQL under DATA_DIR (through the running graph's server, or
 * one started for the seed), or the servers named by *_DATABASE_URL /
 * DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { dataDirFrom } from '../lib/config';
import { withLocalCluster } from './postgres/cluster';
import { seed } from './seed/index';
import { MIN_SUBJECTS } from './seed/plan';

const USAGE = 'usage: npm run seed -- --subjects N [--seed S] [--reset] [--reference-date YYYY-MM-DD]';

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} takes a whole number of at least ${min}, got '${raw}'`);
  return value;
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
  const summary = await withLocalCluster(process.env, dataDirFrom(), () => seed({
    subjects: wholeNumber('subjects', values.subjects, 10_000, MIN_SUBJECTS),
    seed: wholeNumber('seed', values.seed, 1, 0),
    reset: values.reset,
    referenceDate: values['reference-date'],
  }));
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${(error as Error).message}\n${USAGE}`);
  process.exit(1);
});
