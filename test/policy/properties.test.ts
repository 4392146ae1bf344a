/**
 * Properties of the verdict (fast-check, on the pure engine with the measures
 * of migration 002's catalogue shape): adding a black-list entry never
 * improves a verdict; ending one never worsens it.
 */
import fc from 'fast-check';
import { buildUscc } from '../../lib/identifiers';
import type { Measure } from '../../subgraphs/credit/catalogue';
import { decide, type CheckInput, type CheckListEntry } from '../../subgraphs/credit/checks/decide';
import type { Evidence } from '../../subgraphs/credit/checks/evidence';
import { LIST_RULES, VERDICT_RANK, type Verdict } from '../../subgraphs/credit/policy';
import { SCENARIOS } from '../../subgraphs/credit/vocabulary';

const TODAY = '2026-11-24';
const CODE = buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: 'MA01AB23' });
const BLACK = ['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION', 'SERIOUS_VIOLATION_LIST', 'SERIOUS_PENALTY', 'ENVIRONMENTAL_RATING_BLACK', 'COMMITMENT_BREACH'] as const;
const KEY = ['TAX_RATING_D', 'TAX_ARREARS', 'ABNORMAL_OPERATIONS', 'ADMINISTRATIVE_PENALTY', 'ENVIRONMENTAL_RATING_RED'] as const;
const RED = ['TAX_RATING_A', 'ENVIRONMENTAL_RATING_GREEN', 'CONTRACT_HONOURING', 'NO_ADVERSE_RECORD_3_YEARS'] as const;

const measure = (code: string, kind: Measure['kind'], effect: Measure['effect'], triggers: readonly string[], scenarios: readonly string[]): Measure =>
  ({ code, name: code, description: '', kind, mandatory: true, channel: 'ADMINISTRATIVE', effect, triggers, scenarios, initiatingDepartments: [], implementingDepartments: ['x'], personLevel: false, legalBasis: 'b', periodMonths: null }) as unknown as Measure;
const CATALOGUE: Measure[] = [
  measure('P_BAR', 'PUNISHMENT', 'PROHIBIT', BLACK, ['PUBLIC_RESOURCE_TRADING', 'FISCAL_SUPPORT', 'HONORS_AND_AWARDS']),
  measure('P_STRICT', 'PUNISHMENT', 'RESTRICT', BLACK, ['ADMINISTRATIVE_LICENSING']),
  measure('P_KEY', 'PUNISHMENT', 'RESTRICT', KEY, SCENARIOS),
  measure('I_GREEN', 'INCENTIVE', 'FACILITATE', RED, SCENARIOS),
];

const registered = (): Evidence => ({
  market: { registration: { establishedOn: '2010-01-01', status: 'ACTIVE', legalRepresentative: { name: '张*', residentId: 'x' } }, penalties: [], abnormalOperations: [], seriousViolations: [], contractHonouring: [], representedEntities: [] },
  tax: { creditRatings: [], majorViolations: [], arrears: [] },
  courts: { dishonestDebtors: [], consumptionRestrictions: [] },
  environment: { creditRatings: [], penalties: [] },
});

const entry = fc.record({
  rule: fc.constantFrom(...LIST_RULES),
  n: fc.integer({ min: 1, max: 50 }),
  since: fc.integer({ min: -2000, max: 30 }),
  length: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: null }),
});
const toEntry = (e: { rule: (typeof LIST_RULES)[number]; n: number; since: number; length: number | null }): CheckListEntry => {
  const day = (offset: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return { code: CODE, kind: e.rule.kind, department: e.rule.department, sourceRecord: `${e.rule.table}/${CODE}/${e.n}`, since: day(e.since), until: e.length === null ? null : day(e.since + e.length) };
};

const verdictOf = (entries: CheckListEntry[], scenario: CheckInput['scenario'], evidence: Evidence): Verdict =>
  decide({ code: CODE, scenario, evidence, today: TODAY, measures: CATALOGUE, disputed: new Set(), inactive: new Set(), listEntries: entries, related: [], knownToCreditOffice: false }).verdict;

const worse = (a: Verdict, b: Verdict) => VERDICT_RANK[a] > VERDICT_RANK[b];
const blackRule = LIST_RULES.filter((rule) => rule.kind === 'BLACK');

describe('verdict properties', () => {
  const scenario = fc.constantFrom(...SCENARIOS);
  const evidence = fc.constantFrom(registered(), { ...registered(), courts: null });

  it('adding a black-list entry in force never improves a verdict', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.constantFrom(...blackRule), scenario, evidence, (entries, rule, s, ev) => {
        const before = verdictOf(entries.map(toEntry), s, ev);
        const after = verdictOf([...entries.map(toEntry), toEntry({ rule, n: 999, since: -10, length: null })], s, ev);
        return !worse(before, after);
      }),
    );
  });

  it('ending a black-list entry (today) never worsens a verdict', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.constantFrom(...blackRule), scenario, evidence, (entries, rule, s, ev) => {
        const black = toEntry({ rule, n: 999, since: -10, length: null });
        const before = verdictOf([...entries.map(toEntry), black], s, ev);
        const after = verdictOf([...entries.map(toEntry), { ...black, until: TODAY }], s, ev);
        return !worse(after, before);
      }),
    );
  });

  it('a black-list entry in force never leaves a verdict CLEAR or INCENTIVE where a black-list measure applies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...blackRule), fc.constantFrom('PUBLIC_RESOURCE_TRADING', 'ADMINISTRATIVE_LICENSING') as fc.Arbitrary<CheckInput['scenario']>, (rule, s) => {
        const v = verdictOf([toEntry({ rule, n: 1, since: -1, length: null })], s, registered());
        return v === 'PROHIBITED' || v === 'RESTRICTED';
      }),
    );
  });
});
