/**
 * What a credit check reads in the departments' answers: the records in force
 * that trigger measures, whether anyone knows the subject, and whether it has
 * three clean years (checks/evidence.ts; docs/policy.md «Triggers», «List
 * rules», «No incentive without a record; three clean years»).
 */
import fs from 'node:fs';
import path from 'node:path';
import { EVIDENCE_SELECTION, cleanForThreeYears, findTriggers, hasDepartmentRecord, type Evidence } from '../subgraphs/credit/checks/evidence';
import { DEBTOR_RECORD, ENTITY, PERSON, TAX_RATING, TODAY, debtor, empty, marketPenalty, nobody, rated } from './helpers/credit-check';

/** The three-year window of TODAY starts on this day: a record ended on it is outside. */
const WINDOW_START = '2023-11-24';
const unanswered: Evidence = { market: null, tax: null, courts: null, environment: null };

const PENALTY = `administrative_penalty/京朝市监罚〔2026〕1号`;
const ENV_PENALTY = `environmental_penalty/京朝环罚〔2026〕3号`;
const RESTRICTION = `consumption_restriction/${ENTITY}/（2025）京0105执2号`;

/** A credit rating of ENTITY by tax or environment for `year`. */
const rating = (table: 'tax_credit_rating' | 'environmental_credit_rating', year: number, level: string, assessedOn: string) => ({ recordId: `${table}/${ENTITY}/${year}`, year, level, assessedOn });

/** ENTITY's evidence, changed by `change`. */
const evidenceWith = (change: (evidence: Evidence) => void, base: Evidence = empty()): Evidence => {
  change(base);
  return base;
};

/** Each kind of adverse record, added to a subject's evidence with the day it stopped being in force (null: in force). */
const ADVERSE_RECORDS: [string, (evidence: Evidence, end: string | null) => void][] = [
  ['a dishonest debtor listing', (e, removedOn) => e.courts!.dishonestDebtors.push({ recordId: DEBTOR_RECORD, listedOn: '2019-01-01', removedOn })],
  ['a consumption restriction order', (e, liftedOn) => e.courts!.consumptionRestrictions.push({ recordId: RESTRICTION, restrictedSubjectCode: ENTITY, issuedOn: '2019-01-01', liftedOn })],
  ['a major tax violation', (e, removedOn) => e.tax!.majorViolations.push({ recordId: `major_tax_violation/${ENTITY}/1`, publishedOn: '2019-01-01', removedOn })],
  ['a tax arrears notice', (e, settledOn) => e.tax!.arrears.push({ recordId: `tax_arrears_notice/${ENTITY}/1`, announcedOn: '2019-01-01', settledOn })],
  ['a serious illegal listing', (e, removedOn) => e.market!.seriousViolations.push({ recordId: `serious_violation_entry/${ENTITY}/2019-01-01`, listedOn: '2019-01-01', removedOn })],
  ['an abnormal operations listing', (e, removedOn) => e.market!.abnormalOperations.push({ recordId: `abnormal_operations_entry/${ENTITY}/2019-01-01`, listedOn: '2019-01-01', removedOn })],
  ['a published market penalty', (e, publicationEndsOn) => e.market!.penalties.push({ ...marketPenalty(PENALTY, publicationEndsOn), decidedOn: '2019-01-01', publishedOn: '2019-01-08' })],
  ['a published environmental penalty', (e, publicationEndsOn) => e.environment!.penalties.push({ recordId: ENV_PENALTY, serious: false, decidedOn: '2019-01-01', publishedOn: '2019-01-08', publicationEndsOn })],
];

/** One record of each kind a department keeps (the adverse ones long ended). */
const ONE_RECORD_OF_EACH_KIND: [string, (evidence: Evidence) => void][] = [
  ...ADVERSE_RECORDS.map(([kind, add]): [string, (evidence: Evidence) => void] => [kind, (e) => add(e, '2020-01-01')]),
  ['a contract-honouring recognition', (e) => e.market!.contractHonouring.push({ recordId: `contract_honouring_recognition/${ENTITY}/2019`, recognisedOn: '2019-03-01', validUntil: '2020-12-31', revokedOn: null })],
  ['an entity it represents', (e) => e.market!.representedEntities.push({ code: ENTITY })],
  ['a tax credit rating', (e) => rated('B', e)],
  ['an environmental credit rating', (e) => e.environment!.creditRatings.push(rating('environmental_credit_rating', 2025, 'BLUE', '2026-04-15'))],
];

describe('what a check asks the departments for', () => {
  it('is the selection every field of a check @requires in the schema', () => {
    const schema = fs.readFileSync(path.join(__dirname, '..', 'schema', 'credit.graphql'), 'utf8');
    const checkType = schema.slice(schema.indexOf('type CreditCheck '), schema.indexOf('\n}\n', schema.indexOf('type CreditCheck ')));
    const required = [...checkType.matchAll(/^\s*(\w+):.*@requires\(fields: "(market \{ registration[^"]+)"\)/gm)].map((m) => [m[1], m[2]]);
    expect(required.map(([field]) => field)).toEqual(expect.arrayContaining(['checkId', 'verdict', 'measures', 'missingSources', 'registered']));
    for (const [, fields] of required) expect(fields).toBe(EVIDENCE_SELECTION);
  });
});

describe('the triggers a check finds in the departments\' records', () => {
  it('finds nothing for a subject with nothing adverse or creditworthy, nor in departments that did not answer', () => {
    expect(findTriggers(ENTITY, empty(), TODAY)).toEqual([]);
    expect(findTriggers(ENTITY, unanswered, TODAY)).toEqual([]);
  });

  it('names each record in force as its list rule\'s trigger, with its department, the checked subject and its end', () => {
    const evidence = evidenceWith((e) => e.market!.penalties.push(marketPenalty(PENALTY, '2027-05-08')), rated('A', debtor()));
    expect(findTriggers(ENTITY, evidence, TODAY)).toEqual(
      expect.arrayContaining([
        { trigger: 'DISHONEST_JUDGMENT_DEBTOR', department: 'COURTS', recordId: DEBTOR_RECORD, recordSubjectCode: ENTITY, until: null },
        { trigger: 'TAX_RATING_A', department: 'TAX', recordId: TAX_RATING, recordSubjectCode: ENTITY, until: null },
        { trigger: 'ADMINISTRATIVE_PENALTY', department: 'MARKET', recordId: PENALTY, recordSubjectCode: ENTITY, until: '2027-05-08' },
      ]),
    );
    expect(findTriggers(ENTITY, evidence, TODAY)).toHaveLength(3);
  });

  it('finds no record removed by today or not yet begun', () => {
    expect(findTriggers(ENTITY, debtor(TODAY), TODAY)).toEqual([]);
    expect(findTriggers(ENTITY, debtor('2026-11-25'), TODAY)).toEqual([
      { trigger: 'DISHONEST_JUDGMENT_DEBTOR', department: 'COURTS', recordId: DEBTOR_RECORD, recordSubjectCode: ENTITY, until: '2026-11-25' },
    ]);
    expect(findTriggers(ENTITY, debtor(), '2025-05-31')).toEqual([]);
  });

  it('finds a consumption restriction order until it is lifted, on the subject or the person it names', () => {
    const restricted = (restrictedSubjectCode: string, liftedOn: string | null) =>
      evidenceWith((e) => e.courts!.consumptionRestrictions.push({ recordId: RESTRICTION, restrictedSubjectCode, issuedOn: '2025-03-01', liftedOn }));
    expect(findTriggers(ENTITY, restricted(ENTITY, null), TODAY)).toEqual([
      { trigger: 'CONSUMPTION_RESTRICTION', department: 'COURTS', recordId: RESTRICTION, recordSubjectCode: ENTITY, until: null },
    ]);
    // An order on the organisation's legal representative names the person.
    expect(findTriggers(ENTITY, restricted(PERSON, null), TODAY)).toEqual([expect.objectContaining({ trigger: 'CONSUMPTION_RESTRICTION', recordSubjectCode: PERSON })]);
    expect(findTriggers(ENTITY, restricted(ENTITY, '2026-11-25'), TODAY)).toEqual([expect.objectContaining({ trigger: 'CONSUMPTION_RESTRICTION' })]);
    expect(findTriggers(ENTITY, restricted(ENTITY, TODAY), TODAY)).toEqual([]);
  });
});

describe('whether a department knows the subject', () => {
  it('knows nobody that no department holds a registration or record of, nor from departments that did not answer', () => {
    expect(hasDepartmentRecord(nobody())).toBe(false);
    expect(hasDepartmentRecord(unanswered)).toBe(false);
  });

  it('knows a subject registered at market supervision, with nothing else on record', () => {
    expect(hasDepartmentRecord({ ...unanswered, market: empty().market })).toBe(true);
  });

  it.each(ONE_RECORD_OF_EACH_KIND)('knows a subject by %s alone, even long after it ended', (_, add) => {
    expect(hasDepartmentRecord(evidenceWith(add, nobody()))).toBe(true);
  });

  it('knows a subject by the record of one department while the others did not answer', () => {
    const tax = evidenceWith((e) => e.tax!.arrears.push({ recordId: `tax_arrears_notice/${ENTITY}/1`, announcedOn: '2019-01-01', settledOn: null }), nobody());
    expect(hasDepartmentRecord({ ...unanswered, tax: tax.tax })).toBe(true);
  });
});

describe('three clean years on the evidence', () => {
  it('holds for a subject registered three years ago or more with nothing adverse and only good ratings', () => {
    expect(cleanForThreeYears(empty(), TODAY)).toBe(true);
    expect(cleanForThreeYears(evidenceWith((e) => (e.market!.registration!.establishedOn = WINDOW_START)), TODAY)).toBe(true);
    const rated = evidenceWith((e) => {
      e.tax!.creditRatings.push(rating('tax_credit_rating', 2024, 'A', '2025-04-15'));
      e.environment!.creditRatings.push(rating('environmental_credit_rating', 2024, 'GREEN', '2025-04-15'), rating('environmental_credit_rating', 2025, 'BLUE', '2026-04-15'));
    });
    expect(cleanForThreeYears(rated, TODAY)).toBe(true);
  });

  it('never holds while a department did not answer', () => {
    for (const department of ['market', 'tax', 'courts', 'environment'] as const) {
      expect(cleanForThreeYears({ ...empty(), [department]: null }, TODAY)).toBe(false);
    }
  });

  it('needs a registration at least three years old', () => {
    expect(cleanForThreeYears(evidenceWith((e) => (e.market!.registration = null)), TODAY)).toBe(false);
    expect(cleanForThreeYears(evidenceWith((e) => (e.market!.registration!.establishedOn = '2023-11-25')), TODAY)).toBe(false);
  });

  it.each(ADVERSE_RECORDS)('does not hold with %s in force or ended within the three years, and holds once it ended before them', (_, add) => {
    expect(cleanForThreeYears(evidenceWith((e) => add(e, null)), TODAY)).toBe(false);
    expect(cleanForThreeYears(evidenceWith((e) => add(e, '2023-11-25')), TODAY)).toBe(false);
    expect(cleanForThreeYears(evidenceWith((e) => add(e, WINDOW_START)), TODAY)).toBe(true);
  });

  it('counts an unpublished penalty from its decision, and a published one until its publication ends', () => {
    const penalised = (penalty: { decidedOn: string; publishedOn: string | null; publicationEndsOn: string | null }) =>
      evidenceWith((e) => e.market!.penalties.push({ ...marketPenalty(PENALTY, null), ...penalty }));
    expect(cleanForThreeYears(penalised({ decidedOn: '2020-01-01', publishedOn: null, publicationEndsOn: null }), TODAY)).toBe(true);
    expect(cleanForThreeYears(penalised({ decidedOn: '2024-01-01', publishedOn: null, publicationEndsOn: null }), TODAY)).toBe(false);
    expect(cleanForThreeYears(penalised({ decidedOn: '2020-01-01', publishedOn: '2020-01-08', publicationEndsOn: '2023-01-08' }), TODAY)).toBe(true);
    expect(cleanForThreeYears(penalised({ decidedOn: '2020-01-01', publishedOn: '2020-01-08', publicationEndsOn: '2024-01-08' }), TODAY)).toBe(false);
  });

  it('does not hold after a bad tax or environmental rating assessed within the three years', () => {
    for (const level of ['C', 'D']) {
      expect(cleanForThreeYears(rated(level), TODAY)).toBe(false);
      const before = evidenceWith((e) => e.tax!.creditRatings.push(rating('tax_credit_rating', 2019, level, WINDOW_START)));
      expect(cleanForThreeYears(before, TODAY)).toBe(true);
    }
    for (const level of ['YELLOW', 'RED', 'BLACK']) {
      expect(cleanForThreeYears(evidenceWith((e) => e.environment!.creditRatings.push(rating('environmental_credit_rating', 2025, level, '2026-04-15'))), TODAY)).toBe(false);
      const before = evidenceWith((e) => e.environment!.creditRatings.push(rating('environmental_credit_rating', 2019, level, WINDOW_START)));
      expect(cleanForThreeYears(before, TODAY)).toBe(true);
    }
  });
});
