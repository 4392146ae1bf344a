/**
 * Graded supervision (分级分类监管): the credit grade of a subject from its
 * list entries in force, and the "double random" (双随机) sampling ratio of
 * each grade — lower for good credit, normal for average, higher for bad.
 *
 * Source: 凌源 二(二), 甘州 三(四) (graded and classified supervision);
 * DESIGN.md «The credit platform's rules» ("a credit grade per subject drives
 * 'double random' spot checks"); 国发〔2019〕5号 (双随机、一公开).
 */
import type { ListKind } from './lists';

/** A: good (red list), B: normal, C: attention (key-attention list), D: bad (black list). */
export type Grade = 'A' | 'B' | 'C' | 'D';
export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D'];

/**
 * The share of each grade's subjects a spot-check plan aims to inspect.
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
