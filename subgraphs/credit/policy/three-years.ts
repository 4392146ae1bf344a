/**
 * "No adverse record for three consecutive years" (连续三年无不良信用记录):
 * the incentive of green channel and 容缺受理 for subjects that are not on
 * the red list.
 *
 * Source: DESIGN.md «The credit platform's rules» ("Green channel and
 * 'accept with missing documents' for red-list subjects and for subjects with
 * no adverse record for three consecutive years"); DESIGN.md «Decisions»:
 * "No incentive without a record" — three clean years need three years of
 * existence on record, so a subject with no registration never qualifies.
 */
import { addYears } from './calendar';

export const CLEAN_YEARS = 3;

/** The first day of the window: records ended on or before it are outside. */
export const cleanWindowStart = (today: string): string => addYears(today, -CLEAN_YEARS);

/** A dated fact of a subject's record: adverse or not, when it ended (null: still in force). */
export interface CleanRecordFacts {
  /** Registered (established) on; null: no registration on record. */
  establishedOn: string | null;
  /** The end of every adverse record (null: in force). */
  adverseEnds: readonly (string | null)[];
  /** Assessment days of bad ratings (tax C/D, environment YELLOW/RED/BLACK). */
  badRatingsAssessedOn: readonly string[];
}

/**
 * Whether the subject has existed on record for three years and none of its
 * adverse records or bad ratings fell within the last three years.
 */
export function cleanForThreeYears(facts: CleanRecordFacts, today: string): boolean {
  const start = cleanWindowStart(today);
  if (facts.establishedOn === null || facts.establishedOn > start) return false;
  if (facts.adverseEnds.some((end) => end === null || end > start)) return false;
  return !facts.badRatingsAssessedOn.some((assessedOn) => assessedOn > start);
}

export const BAD_TAX_LEVELS: ReadonlySet<string> = new Set(['C', 'D']);
export const BAD_ENVIRONMENT_LEVELS: ReadonlySet<string> = new Set(['YELLOW', 'RED', 'BLACK']);
