/**
 * Fixtures of a credit check's unit tests (test/credit-decide.test.ts,
 * test/credit-evidence.test.ts): a small catalogue, an organisation and a
 * person, what the departments answer for a registered organisation with
 * nothing adverse, and the check's input around them.
 */
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import type { Measure } from '../../subgraphs/credit/catalogue';
import type { CheckInput } from '../../subgraphs/credit/checks/decide';
import type { Evidence, MarketEvidence } from '../../subgraphs/credit/checks/evidence';

export const TODAY = '2026-11-24';
export const ENTITY = buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: 'MA01AB23' });
export const PERSON = buildResidentId('110105', '19800101', '123');

export function measure(overrides: Partial<Measure> & Pick<Measure, 'code' | 'kind' | 'effect' | 'triggers' | 'scenarios'>): Measure {
  return {
    name: overrides.code,
    description: '',
    mandatory: overrides.kind === 'PUNISHMENT',
    channel: 'ADMINISTRATIVE',
    initiatingDepartments: [],
    implementingDepartments: ['发展改革部门'],
    personLevel: false,
    legalBasis: `basis of ${overrides.code}`,
    periodMonths: null,
    ...overrides,
  } as Measure;
}

export const CATALOGUE: Measure[] = [
  measure({ code: 'BAR_BIDDING', kind: 'PUNISHMENT', effect: 'PROHIBIT', triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION', 'COMMITMENT_BREACH'], scenarios: ['PUBLIC_RESOURCE_TRADING'] }),
  measure({ code: 'STRICT_REVIEW', kind: 'PUNISHMENT', effect: 'RESTRICT', triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'TAX_RATING_D', 'ABNORMAL_OPERATIONS', 'ADMINISTRATIVE_PENALTY'], scenarios: ['ADMINISTRATIVE_LICENSING', 'PUBLIC_RESOURCE_TRADING'] }),
  measure({ code: 'HIGH_CONSUMPTION', kind: 'PUNISHMENT', effect: 'RESTRICT', personLevel: true, triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'CONSUMPTION_RESTRICTION', 'REPRESENTS_BLACKLISTED_ENTITY'], scenarios: ['ADMINISTRATIVE_LICENSING', 'PUBLIC_RESOURCE_TRADING'] }),
  measure({ code: 'GREEN_CHANNEL', kind: 'INCENTIVE', effect: 'FACILITATE', triggers: ['TAX_RATING_A', 'CONTRACT_HONOURING', 'NO_ADVERSE_RECORD_3_YEARS'], scenarios: ['ADMINISTRATIVE_LICENSING'] }),
  measure({ code: 'SENIOR_POST', kind: 'PUNISHMENT', effect: 'PROHIBIT', personLevel: true, triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'REPRESENTS_BLACKLISTED_ENTITY'], scenarios: ['FISCAL_SUPPORT'] }),
  measure({ code: 'PUBLICITY_PERIOD', kind: 'PUNISHMENT', effect: 'RESTRICT', periodMonths: 6, triggers: ['ADMINISTRATIVE_PENALTY'], scenarios: ['ADMINISTRATIVE_LICENSING'] }),
];

/** What the departments answer for ENTITY, registered in 2010, rated B by tax this year, with nothing adverse. */
export const empty = (): Evidence => ({
  market: { registration: { establishedOn: '2010-01-01', status: 'ACTIVE', legalRepresentative: { name: '张*', residentId: '110105********123X' } }, penalties: [], abnormalOperations: [], seriousViolations: [], contractHonouring: [], representedEntities: [] },
  tax: { creditRatings: [{ recordId: `tax_credit_rating/${ENTITY}/2025`, year: 2025, level: 'B', assessedOn: '2026-04-15' }], majorViolations: [], arrears: [] },
  courts: { dishonestDebtors: [], consumptionRestrictions: [] },
  environment: { creditRatings: [], penalties: [] },
});

/** What every department answers for a subject none of them knows. */
export const nobody = (): Evidence => ({
  market: { ...empty().market!, registration: null },
  tax: { creditRatings: [], majorViolations: [], arrears: [] },
  courts: { dishonestDebtors: [], consumptionRestrictions: [] },
  environment: { creditRatings: [], penalties: [] },
});

export function input(overrides: Partial<CheckInput> = {}): CheckInput {
  return {
    code: ENTITY,
    scenario: 'PUBLIC_RESOURCE_TRADING',
    evidence: empty(),
    today: TODAY,
    measures: CATALOGUE,
    disputed: new Set(),
    inactive: new Set(),
    listEntries: [],
    related: [],
    knownToCreditOffice: false,
    ...overrides,
  };
}

export const DEBTOR_RECORD = `dishonest_debtor/${ENTITY}/（2025）京0105执1号`;

/** ENTITY on the courts' list of dishonest judgment debtors since 2025-06-01 (removed on `removedOn`). */
export const debtor = (removedOn: string | null = null): Evidence => {
  const evidence = empty();
  evidence.courts!.dishonestDebtors.push({ recordId: DEBTOR_RECORD, listedOn: '2025-06-01', removedOn });
  return evidence;
};

export const TAX_RATING = `tax_credit_rating/${ENTITY}/2025`;

/** ENTITY's evidence with its 2025 tax credit rating at `level` (A: the red list, D: key attention). */
export const rated = (level: string, evidence: Evidence = empty()): Evidence => {
  evidence.tax!.creditRatings = [{ recordId: TAX_RATING, year: 2025, level, assessedOn: '2026-04-15' }];
  return evidence;
};

/** A market penalty below the black-list threshold, published on 2026-05-08 until `publicationEndsOn`. */
export const marketPenalty = (recordId: string, publicationEndsOn: string | null): MarketEvidence['penalties'][number] => ({
  recordId,
  area: 'PRICE',
  serious: false,
  decidedOn: '2026-05-01',
  publishedOn: '2026-05-08',
  publicationEndsOn,
});
