/**
 * `creditCheck` and `creditChecks`: the root fields validate the codes and
 * name each check to be made (its `checkKey`, the id it will be recorded
 * under); the gateway then fetches each department's records of the subjects
 * (the evidence every field of a check @requires — its checkId too) in one
 * request per department, and hands them back in one `_entities` call, where
 * this module decides the whole batch at once and records it decided: one
 * query per credit-office table, one transaction. A check exists only once it
 * is decided, whatever the caller selected (a checkId alone is decided like a
 * verdict), so no undecided check is ever recorded or reported on.
 */
import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import type { Database } from '../../../lib/db';
import { requireSubjectCode, requireSubjectCodes } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import { isNaturalPerson } from '../../../lib/identifiers';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { catalogueVersion } from '../catalogue';
import { departmentEvidence, legalRepresentatives } from '../departments';
import { decidedRecords, disputedRecords } from '../workflows/status';
import type { RecordRef, Scenario } from '../vocabulary';
import { decide, type AppliedMeasure, type Decision } from './decide';
import { EVIDENCE_DEPARTMENTS, findTriggers, type Evidence } from './evidence';
import { measuresOfCheck } from './history';
import { checksById, knownToCreditOffice, listEntriesOf, recordDecidedChecks, type CheckRow } from './store';

/** Largest batch of codes one check request may name (a bidding round of 1,000 bidders fits). */
export const MAX_CHECK_BATCH = 1000;

/** A check the root field names: the id it will be recorded under, the subject and the scenario (its key). */
export interface RequestedCheck {
  checkKey: string;
  code: string;
  scenario: Scenario;
}

/** What the gateway hands back: the check's key and each department's evidence. */
export type CheckRepresentation = RequestedCheck & Partial<Evidence>;

export interface DecidedCheckView extends CheckRow {
  decision: Decision;
  evidence: Evidence | null;
}

/** A representation with the caller it arrived for (one request, one caller). */
interface DecisionKey {
  representation: CheckRepresentation;
  caller: ForwardedIdentity;
}

interface Loaders {
  checkDecisions: DataLoader<DecisionKey, DecidedCheckView, string>;
}

/** Per-request loader that decides and records every check the gateway hands back in one batch. */
export function createCheckDecisionLoader(db: Database): DataLoader<DecisionKey, DecidedCheckView, string> {
  return new DataLoader<DecisionKey, DecidedCheckView, string>((keys) => decideBatch(db, keys.map((k) => k.representation), keys[0]!.caller), {
    cacheKeyFn: (key) => key.representation.checkKey,
  });
}

const evidenceOf = (r: Partial<Evidence>): Evidence => ({
  market: r.market ?? null,
  tax: r.tax ?? null,
  courts: r.courts ?? null,
  environment: r.environment ?? null,
});

/**
 * The subjects each check answers for besides its own (by the check's code):
 * for a natural person the entities they represent, for an organisation its
 * legal representative — asked of market supervision when the evidence has
 * the number masked (legalRepresentatives). When it does not answer, the
 * representative is unknown and stands as a subject no department answered
 * for, so the check fails closed.
 */
async function relatedCodes(checks: readonly { code: string; evidence: Evidence }[]): Promise<Map<string, string[]>> {
  const related = new Map<string, string[]>();
  const masked: string[] = [];
  for (const { code, evidence } of checks) {
    if (isNaturalPerson(code)) {
      related.set(code, (evidence.market?.representedEntities ?? []).map((e) => e.code));
      continue;
    }
    const representative = evidence.market?.registration?.legalRepresentative?.residentId;
    if (!representative) related.set(code, []);
    else if (isNaturalPerson(representative)) related.set(code, [representative]);
    else masked.push(code);
  }
  if (masked.length > 0) {
    const unique = [...new Set(masked)];
    const found = await legalRepresentatives(unique, 'credit check: legal representatives of checked organisations').catch(() => null);
    for (const code of unique) {
      const representative = found ? found.get(code) : UNKNOWN_REPRESENTATIVE;
      related.set(code, representative && (representative === UNKNOWN_REPRESENTATIVE || isNaturalPerson(representative)) ? [representative] : []);
    }
  }
  return related;
}

/** Stands for a legal representative market supervision did not name (it did not answer): no department answers for it. */
const UNKNOWN_REPRESENTATIVE = 'legal representative unknown';

/**
 * What the departments hold on the related subjects (relatedCodes), asked of
 * them directly (departments.ts): a person answers for what black-lists the
 * entity, and an organisation for what black-lists its legal representative,
 * their department records included, not only their list entries. A
 * department that did not answer the gateway for the checks is not asked
 * again (it is missing from those checks anyway).
 */
async function relatedEvidence(checks: readonly { evidence: Evidence }[], related: ReadonlyMap<string, string[]>): Promise<Map<string, Evidence>> {
  const codes = new Set([...related.values()].flat().filter((code) => code !== UNKNOWN_REPRESENTATIVE));
  const skip = new Set<keyof Evidence>();
  for (const check of checks) for (const field of Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[]) if (!check.evidence[field]) skip.add(field);
  if (codes.size === 0) return new Map();
  return departmentEvidence([...codes], 'credit check: entities a checked person represents, legal representatives of checked organisations', skip);
}

async function decideBatch(db: Database, representations: readonly CheckRepresentation[], caller: ForwardedIdentity): Promise<DecidedCheckView[]> {
  const today = todayInChina();
  const checks = representations.map((r) => ({ checkKey: r.checkKey, code: requireSubjectCode(r.code), scenario: r.scenario, evidence: evidenceOf(r) }));
  const related = await relatedCodes(checks);
  const entityEvidence = await relatedEvidence(checks, related);

  // Everything the credit office itself holds on these subjects and the entities they represent, one statement per table.
  const codes = [...new Set(checks.map((c) => c.code))];
  const [catalogue, entries, known] = await Promise.all([
    catalogueVersion(db),
    listEntriesOf(db, [...new Set([...codes, ...entityEvidence.keys()])]),
    knownToCreditOffice(db, codes),
  ]);
  const refs: RecordRef[] = [];
  for (const check of checks) for (const hit of findTriggers(check.code, check.evidence, today)) refs.push({ department: hit.department, recordId: hit.recordId });
  for (const [code, evidence] of entityEvidence) for (const hit of findTriggers(code, evidence, today)) refs.push({ department: hit.department, recordId: hit.recordId });
  // The records the list entries stand on can be disputed or repaired too.
  for (const list of entries.values()) for (const entry of list) refs.push({ department: entry.department, recordId: entry.sourceRecord });
  const [disputed, { inactive, withdrawn }] = await Promise.all([disputedRecords(db, refs), decidedRecords(db, refs)]);

  const decided = checks.map((check) => ({
    check,
    decision: decide({
      code: check.code,
      scenario: check.scenario,
      evidence: check.evidence,
      today,
      measures: catalogue.measures,
      disputed,
      inactive,
      withdrawn,
      listEntries: entries.get(check.code) ?? [],
      related: (related.get(check.code) ?? []).map((code) => ({
        code,
        evidence: entityEvidence.get(code) ?? evidenceOf({}),
        listEntries: entries.get(code) ?? [],
      })),
      knownToCreditOffice: known.has(check.code),
    }),
  }));
  const recorded = await recordDecidedChecks(
    db,
    decided.map(({ check, decision }) => ({ checkId: check.checkKey, code: check.code, scenario: check.scenario, decision, catalogueVersion: catalogue.version })),
    caller,
  );
  // A check recorded earlier (its key handed back twice) answers with what was recorded then.
  const earlier = decided.filter(({ check }) => !recorded.has(check.checkKey)).map(({ check }) => check.checkKey);
  const stored = earlier.length > 0 ? await checksById(db, earlier) : new Map<string, CheckRow>();
  return Promise.all(
    decided.map(async ({ check, decision }) => {
      const fresh = recorded.get(check.checkKey);
      if (fresh) return { ...fresh, decision, evidence: check.evidence };
      const first = stored.get(check.checkKey);
      if (!first || first.code !== check.code || first.scenario !== check.scenario) throw new Error(`credit check ${check.checkKey} was recorded for another subject or scenario`);
      const measures = await measuresOfCheck(db, first);
      return { ...first, decision: { verdict: first.verdict!, measures, missingSources: first.missingSources, registered: first.registered }, evidence: check.evidence };
    }),
  );
}

/** The checks a root field names: one per valid code, each with a new key. */
const requested = (codes: readonly string[], scenario: Scenario): RequestedCheck[] => codes.map((code) => ({ checkKey: crypto.randomUUID(), code, scenario }));

type Context = SubgraphContext<unknown> & { loaders: Loaders };

export const checkResolvers: ResolverMap = {
  Query: {
    creditCheck: (_root: unknown, args: { code: string; scenario: Scenario }) => requested([requireSubjectCode(args.code)], args.scenario)[0],
    creditChecks: (_root: unknown, args: { codes: string[]; scenario: Scenario }) => requested(requireSubjectCodes(args.codes, MAX_CHECK_BATCH), args.scenario),
  },
  CreditCheck: {
    __resolveReference: (representation: CheckRepresentation, context: Context) =>
      context.loaders.checkDecisions.load({ representation, caller: context.caller }),
    checkId: (check: DecidedCheckView) => check.checkId,
    checkedAt: (check: DecidedCheckView) => check.decidedAt ?? check.requestedAt,
    verdict: (check: DecidedCheckView) => check.decision.verdict,
    missingSources: (check: DecidedCheckView) => check.decision.missingSources,
    registered: (check: DecidedCheckView) => check.decision.registered,
    measures: (check: DecidedCheckView) => check.decision.measures,
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
