/**
 * `creditCheck` and `creditChecks`: the root fields record the checks; the
 * gateway then fetches each department's records of the subjects (the
 * evidence the verdict @requires) in one request per department, and hands
 * them back in one `_entities` call, where this module decides the whole
 * batch at once: one query per credit-office table, one write.
 */
import DataLoader from 'dataloader';
import type { Database } from '../../../lib/db';
import { requireSubjectCode, requireSubjectCodes } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import type { ResolverMap } from '../../../lib/subgraph';
import { catalogueVersion } from '../catalogue';
import { decidedRecords, disputedRecords } from '../workflows/status';
import type { RecordRef, Scenario } from '../vocabulary';
import { decide, type AppliedMeasure, type Decision } from './decide';
import { findTriggers, type Evidence } from './evidence';
import { checksById, knownToCreditOffice, listEntriesOf, recordRequestedChecks, saveDecisions, type CheckRow } from './store';
import type { SubgraphContext } from '../../../lib/subgraph';

/** Largest batch of codes one check request may name (a bidding round of 1,000 bidders fits). */
export const MAX_CHECK_BATCH = 1000;

/** What the gateway hands back: the check's key and each department's evidence. */
export type CheckRepresentation = { checkId: string } & Partial<Evidence>;

export interface DecidedCheckView extends CheckRow {
  decision: Decision | null;
  evidence: Evidence | null;
}

interface Loaders {
  checkDecisions: DataLoader<CheckRepresentation, DecidedCheckView, string>;
}

/** Per-request loader that decides every check the gateway hands back in one batch. */
export function createCheckDecisionLoader(db: Database): DataLoader<CheckRepresentation, DecidedCheckView, string> {
  return new DataLoader<CheckRepresentation, DecidedCheckView, string>((representations) => decideBatch(db, representations), {
    cacheKeyFn: (representation) => representation.checkId,
  });
}

async function decideBatch(db: Database, representations: readonly CheckRepresentation[]): Promise<(DecidedCheckView | Error)[]> {
  const today = todayInChina();
  const checks = await checksById(db, representations.map((r) => r.checkId));
  const evidenceOf = (r: CheckRepresentation): Evidence => ({
    market: r.market ?? null,
    tax: r.tax ?? null,
    courts: r.courts ?? null,
    environment: r.environment ?? null,
  });

  // Everything the credit office itself holds on these subjects, one statement per table.
  const refs: RecordRef[] = [];
  const represented = new Set<string>();
  const codes = new Set<string>();
  for (const r of representations) {
    const check = checks.get(r.checkId);
    if (!check) continue;
    codes.add(check.code);
    const evidence = evidenceOf(r);
    for (const hit of findTriggers(check.code, evidence, today)) refs.push({ department: hit.department, recordId: hit.recordId });
    // Only a natural person represents entities; for an organisation the list is empty.
    for (const entity of evidence.market?.representedEntities ?? []) represented.add(entity.code);
  }
  const [catalogue, entries, known] = await Promise.all([
    catalogueVersion(db),
    listEntriesOf(db, [...new Set([...codes, ...represented])]),
    knownToCreditOffice(db, [...codes]),
  ]);
  // The records the list entries stand on can be disputed or repaired too.
  for (const list of entries.values()) for (const entry of list) refs.push({ department: entry.department, recordId: entry.sourceRecord });
  const [disputed, { inactive, withdrawn }] = await Promise.all([disputedRecords(db, refs), decidedRecords(db, refs)]);
  const decided = representations.map((r) => {
    const check = checks.get(r.checkId);
    if (!check) return null;
    const evidence = evidenceOf(r);
    const decision = decide({
      code: check.code,
      scenario: check.scenario,
      evidence,
      today,
      measures: catalogue.measures,
      disputed,
      inactive,
      withdrawn,
      listEntries: entries.get(check.code) ?? [],
      representedEntries: (evidence.market?.representedEntities ?? []).flatMap((entity) => entries.get(entity.code) ?? []),
      knownToCreditOffice: known.has(check.code),
    });
    return { check, evidence, decision };
  });
  const decidedAt = await saveDecisions(
    db,
    decided.flatMap((d) => (d ? [{ checkId: d.check.checkId, decision: d.decision, catalogueVersion: catalogue.version }] : [])),
  );
  // A check decided earlier (asked twice) answers with what was stored then.
  const alreadyDecided = decided.flatMap((d) => (d && !decidedAt.has(d.check.checkId) ? [d.check.checkId] : []));
  const stored = alreadyDecided.length > 0 ? await checksById(db, alreadyDecided) : new Map<string, CheckRow>();
  return decided.map((d, i) => {
    if (!d) return new Error(`no credit check ${representations[i]!.checkId}`);
    const first = stored.get(d.check.checkId);
    const decision: Decision = first
      ? { ...d.decision, verdict: first.verdict!, missingSources: first.missingSources, registered: first.registered ?? d.decision.registered }
      : d.decision;
    return {
      ...d.check,
      decidedAt: decidedAt.get(d.check.checkId) ?? first?.decidedAt ?? null,
      verdict: decision.verdict,
      missingSources: decision.missingSources,
      catalogueVersion: catalogue.version,
      registered: decision.registered,
      decision,
      evidence: d.evidence,
    };
  });
}

const asCheck = (row: CheckRow) => row;

export const checkResolvers: ResolverMap = {
  Query: {
    creditCheck: async (_root: unknown, args: { code: string; scenario: Scenario }, context: SubgraphContext<unknown>) => {
      const [check] = await recordRequestedChecks(context.db, [requireSubjectCode(args.code)], args.scenario, context.caller);
      return asCheck(check!);
    },
    creditChecks: async (_root: unknown, args: { codes: string[]; scenario: Scenario }, context: SubgraphContext<unknown>) =>
      (await recordRequestedChecks(context.db, requireSubjectCodes(args.codes, MAX_CHECK_BATCH), args.scenario, context.caller)).map(asCheck),
  },
  CreditCheck: {
    __resolveReference: (representation: CheckRepresentation, context: { loaders: Loaders }) => context.loaders.checkDecisions.load(representation),
    checkedAt: (check: DecidedCheckView) => check.decidedAt ?? check.requestedAt,
    measures: (check: DecidedCheckView) => check.decision?.measures ?? [],
    legalRepresentative: (check: DecidedCheckView) => check.evidence?.market?.registration?.legalRepresentative ?? null,
  },
  AppliedMeasure: {
    code: (m: AppliedMeasure) => m.measure.code,
    name: (m: AppliedMeasure) => m.measure.name,
    kind: (m: AppliedMeasure) => m.measure.kind,
    mandatory: (m: AppliedMeasure) => m.measure.mandatory,
    effect: (m: AppliedMeasure) => m.measure.effect,
    channel: (m: AppliedMeasure) => m.measure.channel,
    implementingDepartments: (m: AppliedMeasure) => m.measure.implementingDepartments,
    triggers: (m: AppliedMeasure) => m.triggers,
    basis: (m: AppliedMeasure) => m.measure.legalBasis,
  },
};
