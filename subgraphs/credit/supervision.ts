/**
 * Graded supervision (分级分类监管): a credit grade per subject from the
 * departments' determinations, and the "double random" (双随机) spot-check
 * sample whose sampling rate follows the grade — lower for good credit,
 * normal for average, higher for bad (DESIGN.md).
 *
 * The grade is read from the credit office's list entries in force, which is
 * where every department publishes its determinations (docs/architecture.md),
 * so grading needs no department to answer and one statement grades a batch.
 */
import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { Database, Queryable } from '../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import { badUserInput, requireSubjectCodes } from '../../lib/errors';
import { todayInChina } from '../../lib/clock';
import { gradeOf, GRADES, SAMPLING_RATES, type Grade, type ListKind } from './policy';

// The grades and their sampling ratios are credit policy (policy/supervision.ts).
export { GRADES, SAMPLING_RATES, type Grade };

/** Largest population one sample may be drawn from. */
export const MAX_POPULATION = 10_000;

/**
 * The grade of each code (normalised codes) from the kinds of its entries in
 * force on `today` (an entry ending on `today` no longer counts, as in the
 * lists), by the policy's gradeOf. One statement for the whole batch.
 */
export async function creditGrades(q: Queryable, codes: string[], today: string): Promise<Map<string, Grade>> {
  const grades = new Map<string, Grade>();
  if (codes.length === 0) return grades;
  const rows = await q.query<{ code: string; kinds: (ListKind | null)[] }>(
    `SELECT c.code, array_agg(DISTINCT e.kind) AS kinds
       FROM (SELECT DISTINCT unnest($1::text[]) AS code) AS c
       LEFT JOIN list_entry e
         ON e.subject_code = c.code AND e.since <= $2::date AND (e.until IS NULL OR e.until > $2::date)
      GROUP BY c.code`,
    [codes, today],
  );
  for (const row of rows) grades.set(row.code, gradeOf(row.kinds.filter((kind): kind is ListKind => kind !== null)));
  return grades;
}

/** `Subject.creditGrade` for every subject of a request in one statement. */
export function createCreditGradeLoader(db: Database): DataLoader<string, Grade> {
  return new DataLoader<string, Grade>(async (codes) => {
    const grades = await creditGrades(db, [...codes], todayInChina());
    return codes.map((code) => grades.get(code) ?? 'B');
  });
}

/**
 * The uniform draw of one subject for one seed, in (0, 1]: a xoroshiro128+
 * stream whose 128-bit state is the first 16 bytes of sha256(seed, code).
 * It depends on nothing else — not on the population, its order, or the
 * other subjects — which makes a sample reproducible from (seed, population).
 * (All 128 bits rather than a 32-bit seed: with 10,000 codes a 32-bit seed
 * would give two codes the same draw about once in a hundred samples.)
 */
export function drawFor(seed: string, code: string): number {
  const digest = crypto.createHash('sha256').update(seed).update('\u0000').update(code).digest();
  const state = [digest.readInt32BE(0), digest.readInt32BE(4), digest.readInt32BE(8), digest.readInt32BE(12)];
  // The all-zero state is a fixed point of xoroshiro.
  const generator = xoroshiro128plusFromState(state.every((word) => word === 0) ? [1, 0, 0, 0] : state);
  return 1 - uniformFloat64(generator);
}

export interface SampledSubject {
  code: string;
  grade: Grade;
  samplingRate: number;
}

export interface GradeCount {
  grade: Grade;
  population: number;
  selected: number;
}

export interface SpotCheckSample {
  seed: string;
  size: number;
  populationSize: number;
  selected: SampledSubject[];
  byGrade: GradeCount[];
}

/**
 * Weighted sampling without replacement (Efraimidis–Spirakis): each subject
 * gets the key u^(1/rate) and the `size` largest keys are drawn. Keys are
 * compared as ln(u)/rate, the same order without u^50 underflowing to 0;
 * ties (practically impossible) go to the smaller code.
 */
export function drawSample(seed: string, graded: ReadonlyMap<string, Grade>, size: number): SampledSubject[] {
  const keyed = [...graded].map(([code, grade]) => {
    const samplingRate = SAMPLING_RATES[grade];
    return { code, grade, samplingRate, key: Math.log(drawFor(seed, code)) / samplingRate };
  });
  keyed.sort((a, b) => b.key - a.key || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return keyed
    .slice(0, size)
    .map(({ code, grade, samplingRate }) => ({ code, grade, samplingRate }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * Validates the request, grades the population (one statement) and draws the
 * sample. Codes are normalised and a code named twice counts once.
 */
export async function spotCheckSample(
  q: Queryable,
  population: readonly string[],
  size: number,
  seed: string,
  today: string,
): Promise<SpotCheckSample> {
  if (population.length === 0) throw badUserInput(`'population' must name at least one subject`, { field: 'population' });
  const codes = [...new Set(requireSubjectCodes(population, MAX_POPULATION))];
  if (!Number.isInteger(size) || size < 1 || size > codes.length) {
    throw badUserInput(`'size' must be between 1 and the population size (${codes.length}), got ${size}`, { field: 'size' });
  }
  if (seed.trim() === '') throw badUserInput(`'seed' must not be empty`, { field: 'seed' });
  if (seed.length > 200) throw badUserInput(`'seed' is longer than 200 characters`, { field: 'seed' });
  const grades = await creditGrades(q, codes, today);
  const graded = new Map(codes.map((code) => [code, grades.get(code) ?? 'B'] as const));
  const selected = drawSample(seed, graded, size);
  const byGrade = GRADES.map((grade) => ({
    grade,
    population: [...graded.values()].filter((g) => g === grade).length,
    selected: selected.filter((s) => s.grade === grade).length,
  }));
  return { seed, size, populationSize: codes.length, selected, byGrade };
}

type Context = SubgraphContext<{ creditGrade: DataLoader<string, Grade> }>;

export const supervisionResolvers: ResolverMap = {
  Query: {
    spotCheckSample: (_root: unknown, args: { population: string[]; size: number; seed: string }, context: Context) =>
      spotCheckSample(context.db, args.population, args.size, args.seed, todayInChina()),
  },
  Subject: {
    creditGrade: (subject: { code: string }, _args: unknown, context: Context) => context.loaders.creditGrade.load(subject.code),
  },
};
