/**
 * Graded supervision (分级分类监管): a credit grade per subject from the
 * departments' determinations, and the "double random" (双随机) spot-check
 * sample that takes each grade's sampling ratio of its population — lower
 * for good credit, normal for average, higher for bad (凌源 二(二), 甘州
 * 三(四)) — reproducibly from a seed; and the "one public" (一公开): the
 * results of inspecting a drawn plan's subjects, recorded and published.
 *
 * The grade is read from the credit office's list entries in force, which is
 * where every department publishes its determinations (docs/architecture.md),
 * so grading needs no department to answer; an adverse entry whose record is
 * disputed does not lower the grade (policy/supervision.ts gradeOfEntries).
 * The ratios are data (`sampling_ratio`), changed by the credit office.
 */
import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { Database, Queryable } from '../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import { badUserInput, requireSubjectCode, requireSubjectCodes } from '../../lib/errors';
import { todayInChina } from '../../lib/clock';
import { gradeOfEntries, GRADES, inspectionDateRefusal, sampleAllocation, samplingRatioProblems, SAMPLING_RATES, type Grade, type ListKind } from './policy';
import { disputedRecords } from './workflows/status';
import { recordKey, type Department } from './vocabulary';
import { clientScope, isCreditOffice, forbidden, requireActsFor, requireReadsWorkflowsOf } from './callers';
import {
  createOnce,
  decodeIdCursor,
  encodeIdCursor,
  isoTimestamp,
  parseRowId,
  perRequest,
  refuse,
  requireDate,
  requireDepartment,
  requireIdempotencyKey,
  requirePageSize,
  requireText,
  requireRow,
} from './workflows/common';
import { rowsBySubject } from '../../lib/loaders';

// The grades and their sampling ratios are credit policy (policy/supervision.ts).
export { GRADES, SAMPLING_RATES, type Grade };

/** Largest population one sample may be drawn from. */
export const MAX_POPULATION = 10_000;

/**
 * The grade of each code (normalised codes) from its entries in force on
 * `today` (an entry ending on `today` no longer counts, as in the lists), by
 * the policy's gradeOfEntries: an adverse entry whose record is disputed
 * (an objection suspends its punishments) does not lower the grade. Two
 * statements for the whole batch.
 */
export async function creditGrades(q: Queryable, codes: string[], today: string): Promise<Map<string, Grade>> {
  const grades = new Map<string, Grade>();
  if (codes.length === 0) return grades;
  const rows = await q.query<{ code: string; kind: ListKind; department: Department; source_record: string }>(
    `SELECT DISTINCT e.subject_code AS code, e.kind, e.department, e.source_record
       FROM list_entry e
      WHERE e.subject_code = ANY($1::text[]) AND e.since <= $2::date AND (e.until IS NULL OR e.until > $2::date)`,
    [codes, today],
  );
  const adverse = rows.filter((row) => row.kind !== 'RED').map((row) => ({ department: row.department, recordId: row.source_record }));
  const disputed = await disputedRecords(q, adverse);
  const entriesOf = new Map<string, { kind: ListKind; disputed: boolean }[]>();
  for (const row of rows) {
    const entries = entriesOf.get(row.code) ?? [];
    entries.push({ kind: row.kind, disputed: disputed.has(recordKey({ department: row.department, recordId: row.source_record })) });
    entriesOf.set(row.code, entries);
  }
  for (const code of codes) grades.set(code, gradeOfEntries(entriesOf.get(code) ?? []));
  return grades;
}

/** The sampling ratio of each grade in force (`sampling_ratio`, set by the credit office). */
export async function samplingRatios(q: Queryable): Promise<Record<Grade, number>> {
  const rows = await q.query<{ grade: Grade; ratio: number }>('SELECT grade, ratio FROM sampling_ratio');
  const ratios = { ...SAMPLING_RATES };
  for (const row of rows) ratios[row.grade] = Number(row.ratio);
  return ratios;
}

export interface SamplingRatioRow {
  grade: Grade;
  ratio: number;
  setBy: string;
  setAt: string;
}

async function samplingRatioRows(q: Queryable): Promise<SamplingRatioRow[]> {
  return q.query<SamplingRatioRow>(`SELECT grade, ratio, set_by AS "setBy", ${isoTimestamp('set_at')} AS "setAt" FROM sampling_ratio ORDER BY grade`);
}

/** The credit office sets every grade's ratio at once; refused (BAD_USER_INPUT, `problems`) unless the policy accepts the set. */
export async function setSamplingRatios(db: Database, input: readonly { grade: string; ratio: number }[], caller: ForwardedIdentity): Promise<SamplingRatioRow[]> {
  if (!isCreditOffice(caller)) throw forbidden('setSamplingRatios', 'NOT_ALLOWED', 'the sampling ratios are set by the credit office');
  const problems = samplingRatioProblems(input);
  if (problems.length > 0) throw badUserInput(`sampling ratios not set: ${problems.join('; ')}`, { reason: 'RATIOS', problems });
  await db.transaction(async (tx) => {
    for (const { grade, ratio } of input) {
      await tx.query('UPDATE sampling_ratio SET ratio = $2, set_by = $3, set_at = now() WHERE grade = $1', [grade, ratio, caller.clientId ?? caller.role]);
    }
  });
  return samplingRatioRows(db);
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
  samplingRate: number;
}

export interface SpotCheckSample {
  seed: string;
  size: number;
  populationSize: number;
  selected: SampledSubject[];
  byGrade: GradeCount[];
}

/**
 * The sample: for each grade, the `allocation[grade]` subjects of that grade
 * with the smallest draws (drawFor), so the sample depends on the seed, the
 * population and the ratios only — not on the order of the codes. Ordered by
 * code.
 */
export function drawSample(seed: string, graded: ReadonlyMap<string, Grade>, allocation: Readonly<Record<Grade, number>>, ratios: Readonly<Record<Grade, number>>): SampledSubject[] {
  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  return GRADES.flatMap((grade) =>
    [...graded]
      .filter(([, g]) => g === grade)
      .map(([code]) => ({ code, draw: drawFor(seed, code) }))
      .sort((a, b) => a.draw - b.draw || byCode(a, b))
      .slice(0, allocation[grade])
      .map(({ code }) => ({ code, grade, samplingRate: ratios[grade] })),
  ).sort(byCode);
}

/**
 * Validates the request, grades the population and draws the sample: each
 * grade's ratio of its population (policy sampleAllocation), or those shares
 * scaled to `size` subjects when it is given. Codes are normalised and a code
 * named twice counts once.
 */
export async function spotCheckSample(
  q: Queryable,
  population: readonly string[],
  size: number | null | undefined,
  seed: string,
  today: string,
): Promise<SpotCheckSample> {
  if (population.length === 0) throw badUserInput(`'population' must name at least one subject`, { field: 'population' });
  const codes = [...new Set(requireSubjectCodes(population, MAX_POPULATION))];
  if (size !== null && size !== undefined && (!Number.isInteger(size) || size < 1 || size > codes.length)) {
    throw badUserInput(`'size' must be between 1 and the population size (${codes.length}), got ${size}`, { field: 'size' });
  }
  if (seed.trim() === '') throw badUserInput(`'seed' must not be empty`, { field: 'seed' });
  if (seed.length > 200) throw badUserInput(`'seed' is longer than 200 characters`, { field: 'seed' });
  const [grades, ratios] = await Promise.all([creditGrades(q, codes, today), samplingRatios(q)]);
  const graded = new Map(codes.map((code) => [code, grades.get(code) ?? 'B'] as const));
  const populations = { A: 0, B: 0, C: 0, D: 0 } as Record<Grade, number>;
  for (const grade of graded.values()) populations[grade] += 1;
  const selected = drawSample(seed, graded, sampleAllocation(populations, ratios, size), ratios);
  const byGrade = GRADES.map((grade) => ({
    grade,
    population: populations[grade],
    selected: selected.filter((s) => s.grade === grade).length,
    samplingRate: ratios[grade],
  }));
  return { seed, size: selected.length, populationSize: codes.length, selected, byGrade };
}

// ---------------------------------------------------------------- plans and inspection results (一公开)

export interface SpotCheckPlan {
  id: string;
  department: Department;
  name: string;
  seed: string;
  populationSize: number;
  drawnAt: string;
  /** The China date it was drawn: no inspection of it is dated earlier. */
  drawnOn: string;
  ratios: Record<Grade, number>;
}

export interface DrawSpotCheckPlanInput {
  department?: string | null;
  name: string;
  population: string[];
  seed: string;
  idempotencyKey: string;
}

const PLAN_FIELDS = `spot_check_plan.id::text AS id, department, name, seed, population_size AS "populationSize", ${isoTimestamp('drawn_at')} AS "drawnAt",
  (drawn_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "drawnOn", ratios`;

export async function readSpotCheckPlan(q: Queryable, id: string): Promise<SpotCheckPlan | null> {
  const [row] = await q.query<SpotCheckPlan>(`SELECT ${PLAN_FIELDS} FROM spot_check_plan WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

/**
 * A department draws its spot-check plan (双随机: the subjects by ratio, from
 * a seed it names) and keeps it, so its inspection results are recorded
 * against the subjects it drew and nobody else. Idempotent per key.
 */
export async function drawSpotCheckPlan(db: Database, input: DrawSpotCheckPlanInput, caller: ForwardedIdentity, today = todayInChina()): Promise<SpotCheckPlan> {
  const department = input.department ? requireDepartment(input.department) : isCreditOffice(caller) ? 'CREDIT_OFFICE' : (caller.department as Department | null) ?? null;
  if (!department) throw forbidden('drawSpotCheckPlan', 'NO_DEPARTMENT', 'name the department that inspects');
  requireActsFor(caller, department, 'drawSpotCheckPlan');
  const name = requireText('name', input.name, 200);
  const codes = [...new Set(requireSubjectCodes(input.population, MAX_POPULATION))].sort();
  const key = requireIdempotencyKey(input.idempotencyKey);
  const payload = { department, name, seed: input.seed, population: codes };
  return createOnce(db, {
    table: 'spot_check_plan',
    mutation: 'drawSpotCheckPlan',
    key,
    client: clientScope(caller),
    payload,
    read: readSpotCheckPlan,
    async create(tx, requestFingerprint) {
      const sample = await spotCheckSample(tx, codes, null, input.seed, today);
      const ratios = Object.fromEntries(sample.byGrade.map((g) => [g.grade, g.samplingRate]));
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO spot_check_plan (idempotency_key, request_fingerprint, client_id, department, name, seed, ratios, population_size)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING id::text AS id`,
        [key, requestFingerprint, clientScope(caller), department, name, input.seed, JSON.stringify(ratios), sample.populationSize],
      );
      await tx.query(
        `INSERT INTO spot_check_selection (plan_id, subject_code, grade) SELECT $1::bigint, code, grade FROM unnest($2::text[], $3::text[]) AS s(code, grade)`,
        [row!.id, sample.selected.map((s) => s.code), sample.selected.map((s) => s.grade)],
      );
      return row!.id;
    },
  });
}

export type InspectionOutcome = 'COMPLIANT' | 'ISSUES_FOUND' | 'NOT_LOCATED';
const INSPECTION_OUTCOMES: readonly InspectionOutcome[] = ['COMPLIANT', 'ISSUES_FOUND', 'NOT_LOCATED'];

export interface InspectionResult {
  id: string;
  planId: string;
  planName: string;
  department: Department;
  subjectCode: string;
  outcome: InspectionOutcome;
  findings: string;
  inspectedOn: string;
  recordedAt: string;
}

const RESULT_FIELDS = `r.id::text AS id, r.plan_id::text AS "planId", p.name AS "planName", p.department, r.subject_code AS "subjectCode", r.outcome,
  r.findings, r.inspected_on::text AS "inspectedOn", ${isoTimestamp('r.recorded_at')} AS "recordedAt"`;

export interface RecordInspectionResultInput {
  planId: string;
  subjectCode: string;
  outcome: string;
  findings: string;
  inspectedOn: string;
}

/**
 * The inspecting department records what it found at a subject its plan drew
 * (NOT_IN_SAMPLE for any other subject): once per plan and subject — the
 * same result again answers the one recorded, a different one is refused
 * (INVALID_TRANSITION). Published at once (inspectionResults).
 */
export async function recordInspectionResult(db: Database, input: RecordInspectionResultInput, caller: ForwardedIdentity, today = todayInChina()): Promise<InspectionResult> {
  const plan = await requireRow('spot-check plan', input.planId, (id) => readSpotCheckPlan(db, id));
  requireActsFor(caller, plan.department, 'recordInspectionResult');
  const subjectCode = requireSubjectCode(input.subjectCode);
  if (!(INSPECTION_OUTCOMES as readonly string[]).includes(input.outcome)) throw refuse('INVALID_INPUT', `unknown outcome '${input.outcome}'`, { field: 'outcome' });
  const findings = requireText('findings', input.findings);
  const inspectedOn = requireDate('inspectedOn', input.inspectedOn);
  const dated = inspectionDateRefusal(plan, inspectedOn, today);
  if (dated) {
    const why = dated === 'SINCE_IN_FUTURE' ? 'is in the future' : `is before spot-check plan ${plan.id} was drawn (${plan.drawnOn}): a plan's subjects are inspected after the draw`;
    throw badUserInput(`'inspectedOn' ${inspectedOn} ${why}`, { reason: dated, field: 'inspectedOn', recordSince: plan.drawnOn });
  }
  const [selected] = await db.query('SELECT 1 FROM spot_check_selection WHERE plan_id = $1::bigint AND subject_code = $2', [plan.id, subjectCode]);
  if (!selected) throw badUserInput(`subject ${subjectCode} was not drawn by spot-check plan ${plan.id}: results are recorded for the subjects drawn`, { reason: 'NOT_IN_SAMPLE', field: 'subjectCode' });
  const [inserted] = await db.query<{ id: string }>(
    `INSERT INTO inspection_result (plan_id, subject_code, outcome, findings, inspected_on, recorded_by)
     VALUES ($1::bigint, $2, $3, $4, $5::date, $6)
     ON CONFLICT ON CONSTRAINT inspection_result_once DO NOTHING RETURNING id::text AS id`,
    [plan.id, subjectCode, input.outcome, findings, inspectedOn, clientScope(caller)],
  );
  const [existing] = await db.query<InspectionResult>(
    `SELECT ${RESULT_FIELDS} FROM inspection_result r JOIN spot_check_plan p ON p.id = r.plan_id WHERE r.plan_id = $1::bigint AND r.subject_code = $2`,
    [plan.id, subjectCode],
  );
  if (!inserted && (existing!.outcome !== input.outcome || existing!.findings !== findings || existing!.inspectedOn !== inspectedOn)) {
    throw refuse('INVALID_TRANSITION', `the result of inspecting ${subjectCode} under plan ${plan.id} was already recorded (${existing!.outcome}, ${existing!.inspectedOn})`);
  }
  return existing!;
}

/** Published inspection results, newest first; optionally one department's. */
export async function inspectionResults(q: Queryable, args: { department?: string | null; first: number; after?: string | null }) {
  const first = requirePageSize(args.first);
  const department = args.department ? requireDepartment(args.department) : null;
  const after = args.after ? decodeIdCursor('inspection', args.after, 'inspectionResults') : null;
  const rows = await q.query<InspectionResult>(
    `SELECT ${RESULT_FIELDS} FROM inspection_result r JOIN spot_check_plan p ON p.id = r.plan_id
      WHERE ($1::text IS NULL OR p.department = $1) AND ($2::bigint IS NULL OR r.id < $2::bigint)
      ORDER BY r.id DESC LIMIT $3`,
    [department, after, first + 1],
  );
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeIdCursor('inspection', last.id) : null, hasNextPage: rows.length > first };
}

const inspectionResultsOfSubject = perRequest((db) =>
  rowsBySubject<InspectionResult>(
    db,
    `SELECT r.subject_code, ${RESULT_FIELDS} FROM inspection_result r JOIN spot_check_plan p ON p.id = r.plan_id WHERE r.subject_code = ANY($1::text[]) ORDER BY r.id DESC`,
  ),
);

type Context = SubgraphContext<{ creditGrade: DataLoader<string, Grade> }>;

export const supervisionResolvers: ResolverMap = {
  Query: {
    spotCheckSample: (_root: unknown, args: { population: string[]; size?: number | null; seed: string }, context: Context) =>
      spotCheckSample(context.db, args.population, args.size, args.seed, todayInChina()),
    samplingRatios: (_root: unknown, _args: unknown, context: Context) => samplingRatioRows(context.db),
    spotCheckPlan: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      const plan = id ? await readSpotCheckPlan(context.db, id) : null;
      // Its sample is the inspecting department's until it inspects (双随机: the subjects are not told in advance); only the results are public.
      if (plan) requireReadsWorkflowsOf(context.caller, plan.department, 'spotCheckPlan', 'spot-check plans');
      return plan;
    },
    inspectionResults: (_root: unknown, args: { department?: string | null; first: number; after?: string | null }, context: Context) =>
      inspectionResults(context.db, args),
  },
  Mutation: {
    setSamplingRatios: (_root: unknown, args: { ratios: { grade: string; ratio: number }[] }, context: Context) =>
      setSamplingRatios(context.db, args.ratios, context.caller),
    drawSpotCheckPlan: (_root: unknown, args: { input: DrawSpotCheckPlanInput }, context: Context) => drawSpotCheckPlan(context.db, args.input, context.caller),
    recordInspectionResult: (_root: unknown, args: { input: RecordInspectionResultInput }, context: Context) =>
      recordInspectionResult(context.db, args.input, context.caller),
  },
  SpotCheckPlan: {
    selected: async (plan: SpotCheckPlan, _args: unknown, context: Context) =>
      (await context.db.query<{ code: string; grade: Grade }>('SELECT subject_code AS code, grade FROM spot_check_selection WHERE plan_id = $1::bigint ORDER BY subject_code', [plan.id])).map(
        (row) => ({ ...row, samplingRate: plan.ratios[row.grade] }),
      ),
    results: (plan: SpotCheckPlan, _args: unknown, context: Context) =>
      context.db.query<InspectionResult>(`SELECT ${RESULT_FIELDS} FROM inspection_result r JOIN spot_check_plan p ON p.id = r.plan_id WHERE r.plan_id = $1::bigint ORDER BY r.id`, [plan.id]),
    ratios: (plan: SpotCheckPlan) => GRADES.map((grade) => ({ grade, ratio: plan.ratios[grade] })),
  },
  Subject: {
    creditGrade: (subject: { code: string }, _args: unknown, context: Context) => context.loaders.creditGrade.load(subject.code),
    inspectionResults: (subject: { code: string }, _args: unknown, context: Context) => inspectionResultsOfSubject(context).load(subject.code),
  },
};
