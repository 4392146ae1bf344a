/**
 * Graded supervision (分级分类监管): the credit grade of a subject from its
 * list entries in force, and the "double random" (双随机) sampling ratio of
 * each grade — lower for good credit, normal for average, higher for bad.
 *
 * Source: 凌源 二(二), 甘州 三(四) (graded and classified supervision);
 * DESIGN.md «The credit platform's rules» ("a credit grade per subject drives
 * 'double random' spot checks"); 国发〔2019〕5号 (双随机、一公开).
 */
import { entryStartRefusal, type EntryStartRefusal, type ListKind } from './lists';

/** A: good (red list), B: normal, C: attention (key-attention list), D: bad (black list). */
export type Grade = 'A' | 'B' | 'C' | 'D';
export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D'];

/**
 * The share of each grade's subjects a spot-check plan inspects: the
 * defaults migration 017 writes into `sampling_ratio`, which the credit
 * office changes as data (setSamplingRatios).
 * B is the normal ratio of a routine double-random plan (5%). Good credit (A,
 * red list) is inspected less — "fewer inspections" is one of the joint
 * incentives — at 2%, but never 0, so no subject is exempt from random checks.
 * Key attention (C) is checked three times as often (15%) and the black list (D)
 * six times (30%): "more frequent inspection" is a joint punishment.
 */
export const SAMPLING_RATES: Readonly<Record<Grade, number>> = { A: 0.02, B: 0.05, C: 0.15, D: 0.3 };

/** The grade of a subject whose entries in force are of `kinds`: any BLACK → D; else KEY_ATTENTION → C; else RED → A; else B. */
export function gradeOf(kinds: Iterable<ListKind>): Grade {
  const present = new Set(kinds);
  if (present.has('BLACK')) return 'D';
  if (present.has('KEY_ATTENTION')) return 'C';
  if (present.has('RED')) return 'A';
  return 'B';
}

/**
 * The grade of a subject from its list entries in force, where a disputed
 * adverse entry does not count: while the department verifies an objection
 * (policy/objection.ts), the record's punishments are suspended, and a
 * sharper inspection rate is one of them (凌源 二(二): 分级分类监管 follows
 * the credit record; 柴桑 (二十一): disputed records are marked, not acted on).
 */
export function gradeOfEntries(entries: Iterable<{ kind: ListKind; disputed: boolean }>): Grade {
  return gradeOf([...entries].filter((entry) => entry.kind === 'RED' || !entry.disputed).map((entry) => entry.kind));
}

/**
 * What is wrong with a set of sampling ratios, empty when it can be used:
 * every grade once, each more than 0 (no subject is exempt from random
 * checks) and at most 1, and never lower for a worse grade (lower for good
 * credit, normal for average, higher for bad: 凌源 二(二), 甘州 三(四)).
 */
export function samplingRatioProblems(ratios: readonly { grade: string; ratio: number }[]): string[] {
  const problems: string[] = [];
  for (const grade of GRADES) {
    const found = ratios.filter((r) => r.grade === grade);
    if (found.length !== 1) problems.push(`grade ${grade} must be given once, got ${found.length}`);
  }
  for (const r of ratios) {
    if (!(GRADES as readonly string[]).includes(r.grade)) problems.push(`unknown grade ${r.grade}`);
    if (!(Number.isFinite(r.ratio) && r.ratio > 0 && r.ratio <= 1)) problems.push(`grade ${r.grade}: a ratio is more than 0 and at most 1, got ${r.ratio}`);
  }
  if (problems.length === 0) {
    const of = (grade: Grade) => ratios.find((r) => r.grade === grade)!.ratio;
    for (let i = 1; i < GRADES.length; i += 1) {
      const better = GRADES[i - 1]!;
      const worse = GRADES[i]!;
      if (of(worse) < of(better)) problems.push(`grade ${worse} (${of(worse)}) is sampled less than the better grade ${better} (${of(better)})`);
    }
  }
  return problems;
}

/**
 * How many subjects of each grade a sample takes. Without `size`: each
 * grade's ratio of its population, rounded up (at least that share; a grade
 * with subjects never goes unsampled). With `size`: the same shares scaled
 * to `size` subjects in all — each grade in proportion to population ×
 * ratio, never more than its population (the excess goes to the others),
 * remainders by the largest fraction, a worse grade first on a tie.
 */
export function sampleAllocation(populations: Readonly<Record<Grade, number>>, ratios: Readonly<Record<Grade, number>>, size?: number | null): Record<Grade, number> {
  const allocation = { A: 0, B: 0, C: 0, D: 0 } as Record<Grade, number>;
  if (size === undefined || size === null) {
    // The epsilon keeps 0.05 × 20 = 1.0000000000000002 from rounding up to 2.
    for (const grade of GRADES) allocation[grade] = Math.min(populations[grade], Math.max(0, Math.ceil(populations[grade] * ratios[grade] - 1e-9)));
    return allocation;
  }
  let open = GRADES.filter((grade) => populations[grade] > 0);
  let left = size;
  for (;;) {
    const weight = open.reduce((sum, grade) => sum + populations[grade] * ratios[grade], 0);
    const full = open.filter((grade) => (left * populations[grade] * ratios[grade]) / weight >= populations[grade]);
    if (full.length === 0) {
      const quotas = open.map((grade) => ({ grade, quota: (left * populations[grade] * ratios[grade]) / weight }));
      for (const { grade, quota } of quotas) allocation[grade] = Math.floor(quota);
      let remainder = left - quotas.reduce((sum, { quota }) => sum + Math.floor(quota), 0);
      const byFraction = [...quotas].sort((a, b) => b.quota - Math.floor(b.quota) - (a.quota - Math.floor(a.quota)) || GRADES.indexOf(b.grade) - GRADES.indexOf(a.grade));
      for (const { grade } of byFraction) if (remainder > 0) (allocation[grade] += 1), (remainder -= 1);
      return allocation;
    }
    for (const grade of full) {
      allocation[grade] = populations[grade];
      left -= populations[grade];
    }
    open = open.filter((grade) => !full.includes(grade));
    if (open.length === 0) return allocation;
  }
}

/**
 * Why an inspection dated `inspectedOn` cannot be recorded against a plan drawn on `drawnOn`
 * (China date), or null: it inspects a subject the plan drew (双随机: drawn first, then inspected),
 * so it is neither before the draw nor in the future — the list rules' entryStartRefusal, the plan
 * standing as the record.
 */
export const inspectionDateRefusal = (plan: { drawnOn: string }, inspectedOn: string, today: string): EntryStartRefusal | null =>
  entryStartRefusal({ since: plan.drawnOn }, inspectedOn, today);
