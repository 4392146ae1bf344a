/** The list rules: which records put whom on which list, as which trigger, for how long. */
import { isAdverse } from '../../subgraphs/credit/policy/triggers';
import {
  commitmentBreachPeriod,
  COMMITMENT_BREACH_LIST_YEARS,
  determinationsInForce,
  entryInForce,
  entryStartRefusal,
  entryTrigger,
  laterEnd,
  listableTables,
  listDeterminations,
  listRuleFor,
  LIST_RULES,
  notEnded,
  penaltyListKind,
  ratingEnds,
  ratingListKind,
  recognitionEnd,
  recordTable,
} from '../../subgraphs/credit/policy/lists';

const C = '91440300MA5F3K2Q0T';

describe('list rules', () => {
  it('finds the rule of a record by kind, department and table, and none otherwise', () => {
    expect(recordTable(`dishonest_debtor/${C}/x`)).toBe('dishonest_debtor');
    expect(recordTable('no-slash')).toBe('');
    expect(listRuleFor('BLACK', 'COURTS', `dishonest_debtor/${C}/x`)).toEqual(expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR' }));
    expect(listRuleFor('RED', 'COURTS', `dishonest_debtor/${C}/x`)).toBeNull();
    expect(listRuleFor('BLACK', 'MARKET', `dishonest_debtor/${C}/x`)).toBeNull();
    expect(listRuleFor('BLACK', 'COURTS', 'other/1')).toBeNull();
    expect(listRuleFor('BLACK', 'CREDIT_OFFICE', 'credit_commitment/7')).toEqual(expect.objectContaining({ trigger: 'COMMITMENT_BREACH' }));
    expect(listableTables('BLACK', 'ENVIRONMENT')).toEqual(['environmental_penalty', 'environmental_credit_rating']);
    expect(listableTables('RED', 'COURTS')).toEqual([]);
  });

  it('says for every rule which records it lists and for how long (refusals quote it)', () => {
    for (const rule of LIST_RULES) expect(rule.runs).toMatch(/^(from |a |an )\S.{10,}/);
  });

  it('maps every rule to a trigger of its own polarity', () => {
    for (const rule of LIST_RULES) expect(rule.kind === 'RED').toBe(!isAdverse(rule.trigger));
    expect(LIST_RULES.filter((rule) => rule.kind === 'RED').map((rule) => rule.trigger)).toEqual(['TAX_RATING_A', 'ENVIRONMENTAL_RATING_GREEN', 'CONTRACT_HONOURING']);
  });

  it('puts every record that triggers the key-attention measures on the key-attention list: rating D and penalties below the black-list threshold too', () => {
    const keyAttention = LIST_RULES.filter((rule) => rule.kind === 'KEY_ATTENTION').map((rule) => `${rule.department} ${rule.table} ${rule.trigger}`);
    expect(keyAttention).toEqual([
      'CREDIT_OFFICE rectification_order RECTIFICATION_OVERDUE',
      'MARKET abnormal_operations_entry ABNORMAL_OPERATIONS',
      'TAX tax_arrears_notice TAX_ARREARS',
      'ENVIRONMENT environmental_credit_rating ENVIRONMENTAL_RATING_RED',
      'TAX tax_credit_rating TAX_RATING_D',
      'MARKET administrative_penalty ADMINISTRATIVE_PENALTY',
      'ENVIRONMENT environmental_penalty ADMINISTRATIVE_PENALTY',
    ]);
    expect(listRuleFor('RED', 'MARKET', `contract_honouring_recognition/${C}/2025`)).toEqual(expect.objectContaining({ trigger: 'CONTRACT_HONOURING' }));
    // An entry stored before the rules keeps its department's first rule for the list.
    expect(entryTrigger({ kind: 'KEY_ATTENTION', department: 'TAX', sourceRecord: 'KA-1' })).toBe('TAX_ARREARS');
    expect(entryTrigger({ kind: 'KEY_ATTENTION', department: 'TAX', sourceRecord: `tax_credit_rating/${C}/2025` })).toBe('TAX_RATING_D');
    expect(entryTrigger({ kind: 'KEY_ATTENTION', department: 'MARKET', sourceRecord: 'administrative_penalty/p' })).toBe('ADMINISTRATIVE_PENALTY');
    expect(entryTrigger({ kind: 'RED', department: 'MARKET', sourceRecord: 'SHTZXY-2025-001' })).toBe('CONTRACT_HONOURING');
  });

  it('gives a list entry the trigger of its rule, or its department’s first rule for an entry stored before the rules', () => {
    expect(entryTrigger({ kind: 'BLACK', department: 'ENVIRONMENT', sourceRecord: 'environmental_credit_rating/x/2025' })).toBe('ENVIRONMENTAL_RATING_BLACK');
    expect(entryTrigger({ kind: 'BLACK', department: 'COURTS', sourceRecord: '(2023)浙0106执1234号' })).toBe('DISHONEST_JUDGMENT_DEBTOR');
    expect(entryTrigger({ kind: 'KEY_ATTENTION', department: 'ENVIRONMENT', sourceRecord: 'environmental_credit_rating/x/2025' })).toBe('ENVIRONMENTAL_RATING_RED');
    expect(entryTrigger({ kind: 'RED', department: 'COURTS', sourceRecord: 'x/1' })).toBeNull();
  });

  it('counts an entry in force from its first day until the day before it ends', () => {
    expect(entryInForce({ since: '2026-01-01', until: null }, '2026-01-01')).toBe(true);
    expect(entryInForce({ since: '2026-01-02', until: null }, '2026-01-01')).toBe(false);
    expect(entryInForce({ since: '2026-01-01', until: '2026-02-01' }, '2026-01-31')).toBe(true);
    expect(entryInForce({ since: '2026-01-01', until: '2026-02-01' }, '2026-02-01')).toBe(false);
    expect(notEnded(null, '2026-01-01')).toBe(true);
    expect(notEnded('2026-01-01', '2026-01-01')).toBe(false);
  });

  it('lists ratings by department and level', () => {
    expect(['A', 'B', 'M', 'C', 'D'].map((l) => ratingListKind('TAX', l))).toEqual(['RED', null, null, null, 'KEY_ATTENTION']);
    expect(['GREEN', 'BLUE', 'YELLOW', 'RED', 'BLACK'].map((l) => ratingListKind('ENVIRONMENT', l))).toEqual(['RED', null, null, 'KEY_ATTENTION', 'BLACK']);
    expect(ratingListKind('MARKET', 'A')).toBeNull();
    expect(ratingListKind('COURTS', 'GREEN')).toBeNull();
    expect(ratingListKind('CREDIT_OFFICE', 'BLACK')).toBeNull();
  });

  it('ends a rating when the next one is assessed', () => {
    const r2024 = { year: 2024, assessedOn: '2025-04-15' };
    const r2023 = { year: 2023, assessedOn: '2024-04-15' };
    const ends = ratingEnds([r2024, r2023]);
    expect(ends.get(r2023)).toBe('2025-04-15');
    expect(ends.get(r2024)).toBeNull();
    expect([...ends.keys()]).toEqual([r2023, r2024]);
  });

  it('black-lists a published black-list penalty, puts any other published penalty on key attention, and lists no unpublished one', () => {
    expect(penaltyListKind('MARKET', { serious: true, area: 'FOOD_AND_DRUG', publishedOn: '2026-01-01' })).toBe('BLACK');
    expect(penaltyListKind('MARKET', { serious: true, area: 'FOOD_AND_DRUG', publishedOn: null })).toBeNull();
    expect(penaltyListKind('MARKET', { serious: false, area: 'OTHER', publishedOn: null })).toBeNull();
    expect(penaltyListKind('MARKET', { serious: true, area: 'OTHER', publishedOn: '2026-01-01' })).toBe('KEY_ATTENTION');
    expect(penaltyListKind('MARKET', { serious: false, area: 'FOOD_AND_DRUG', publishedOn: '2026-01-01' })).toBe('KEY_ATTENTION');
    expect(penaltyListKind('ENVIRONMENT', { serious: true, publishedOn: '2026-01-01' })).toBe('BLACK');
    expect(penaltyListKind('ENVIRONMENT', { serious: false, publishedOn: '2026-01-01' })).toBe('KEY_ATTENTION');
  });

  it('ends a contract-honouring recognition the day after its last valid day, or when revoked if sooner', () => {
    expect(recognitionEnd({ validUntil: '2027-12-31', revokedOn: null })).toBe('2028-01-01');
    expect(recognitionEnd({ validUntil: '2027-12-31', revokedOn: '2026-05-01' })).toBe('2026-05-01');
    expect(recognitionEnd({ validUntil: '2027-12-31', revokedOn: '2028-03-01' })).toBe('2028-01-01');
    expect(recognitionEnd({ validUntil: null, revokedOn: '2026-05-01' })).toBe('2026-05-01');
    expect(recognitionEnd({ validUntil: null, revokedOn: null })).toBeNull();
  });

  it('lets an entry take effect from its record’s determination until today, never before it nor in the future', () => {
    const record = { since: '2026-03-01' };
    expect(entryStartRefusal(record, '2026-03-01', '2026-11-24')).toBeNull();
    expect(entryStartRefusal(record, '2026-11-24', '2026-11-24')).toBeNull();
    expect(entryStartRefusal(record, '2026-02-28', '2026-11-24')).toBe('SINCE_BEFORE_RECORD');
    expect(entryStartRefusal(record, '2026-11-25', '2026-11-24')).toBe('SINCE_IN_FUTURE');
    // A record determined in the future (a data error) cannot be published yet either.
    expect(entryStartRefusal({ since: '2026-12-01' }, '2026-11-24', '2026-11-24')).toBe('SINCE_BEFORE_RECORD');
  });

  it('keeps a breached commitment on the black list for three years', () => {
    expect(COMMITMENT_BREACH_LIST_YEARS).toBe(3);
    expect(commitmentBreachPeriod('2024-02-29')).toEqual({ since: '2024-02-29', until: '2027-02-28' });
  });

  it('takes the later end, where null is not ended', () => {
    expect(laterEnd('2026-01-01', '2026-02-01')).toBe('2026-02-01');
    expect(laterEnd('2026-03-01', '2026-02-01')).toBe('2026-03-01');
    expect(laterEnd(null, '2026-02-01')).toBeNull();
    expect(laterEnd('2026-02-01', null)).toBeNull();
  });

  it('derives every determination of a subject from its records', () => {
    const determinations = listDeterminations({
      courts: { dishonestDebtors: [{ recordId: `dishonest_debtor/${C}/a`, listedOn: '2025-01-01', removedOn: null }] },
      tax: {
        creditRatings: [
          { recordId: `tax_credit_rating/${C}/2023`, year: 2023, level: 'A', assessedOn: '2024-04-15' },
          { recordId: `tax_credit_rating/${C}/2024`, year: 2024, level: 'B', assessedOn: '2025-04-15' },
        ],
        majorViolations: [{ recordId: `major_tax_violation/${C}/t`, publishedOn: '2025-02-01', removedOn: '2025-08-01' }],
        arrears: [
          { recordId: `tax_arrears_notice/${C}/n`, announcedOn: '2025-03-01', settledOn: '2025-04-01' },
          { recordId: `tax_arrears_notice/${C}/n`, announcedOn: '2025-02-15', settledOn: null },
        ],
      },
      market: {
        penalties: [
          { recordId: 'administrative_penalty/p1', area: 'FIRE_SAFETY', serious: true, publishedOn: '2025-05-01', publicationEndsOn: '2028-05-01' },
          { recordId: 'administrative_penalty/p2', area: 'OTHER', serious: true, publishedOn: '2025-05-01', publicationEndsOn: '2028-05-01' },
          { recordId: 'administrative_penalty/p3', area: 'FIRE_SAFETY', serious: true, publishedOn: null, publicationEndsOn: null },
        ],
        abnormalOperations: [{ recordId: `abnormal_operations_entry/${C}/2025-01-01`, listedOn: '2025-01-01', removedOn: null }],
        seriousViolations: [{ recordId: `serious_violation_entry/${C}/2025-01-01`, listedOn: '2025-01-01', removedOn: '2026-01-01' }],
        contractHonouring: [{ recordId: `contract_honouring_recognition/${C}/2024`, recognisedOn: '2024-06-01', validUntil: '2026-05-31', revokedOn: null }],
      },
      environment: {
        creditRatings: [
          { recordId: `environmental_credit_rating/${C}/2024`, year: 2024, level: 'BLACK', assessedOn: '2025-06-01' },
          { recordId: `environmental_credit_rating/${C}/2023`, year: 2023, level: 'RED', assessedOn: '2024-06-01' },
          { recordId: `environmental_credit_rating/${C}/2022`, year: 2022, level: 'GREEN', assessedOn: '2023-06-01' },
        ],
        penalties: [
          { recordId: 'environmental_penalty/e1', serious: true, publishedOn: '2025-07-01', publicationEndsOn: '2028-07-01' },
          { recordId: 'environmental_penalty/e2', serious: false, publishedOn: '2025-07-01', publicationEndsOn: '2026-07-01' },
          { recordId: 'environmental_penalty/e3', serious: true, publishedOn: null, publicationEndsOn: null },
        ],
      },
    });
    expect(determinations.map((d) => [d.kind, d.department, d.sourceRecord, d.trigger, d.since, d.until])).toEqual([
      ['BLACK', 'COURTS', `dishonest_debtor/${C}/a`, 'DISHONEST_JUDGMENT_DEBTOR', '2025-01-01', null],
      ['RED', 'TAX', `tax_credit_rating/${C}/2023`, 'TAX_RATING_A', '2024-04-15', '2025-04-15'],
      ['BLACK', 'TAX', `major_tax_violation/${C}/t`, 'MAJOR_TAX_VIOLATION', '2025-02-01', '2025-08-01'],
      ['KEY_ATTENTION', 'TAX', `tax_arrears_notice/${C}/n`, 'TAX_ARREARS', '2025-02-15', null],
      ['BLACK', 'MARKET', `serious_violation_entry/${C}/2025-01-01`, 'SERIOUS_VIOLATION_LIST', '2025-01-01', '2026-01-01'],
      ['BLACK', 'MARKET', 'administrative_penalty/p1', 'SERIOUS_PENALTY', '2025-05-01', '2028-05-01'],
      ['KEY_ATTENTION', 'MARKET', 'administrative_penalty/p2', 'ADMINISTRATIVE_PENALTY', '2025-05-01', '2028-05-01'],
      ['KEY_ATTENTION', 'MARKET', `abnormal_operations_entry/${C}/2025-01-01`, 'ABNORMAL_OPERATIONS', '2025-01-01', null],
      ['RED', 'MARKET', `contract_honouring_recognition/${C}/2024`, 'CONTRACT_HONOURING', '2024-06-01', '2026-06-01'],
      ['RED', 'ENVIRONMENT', `environmental_credit_rating/${C}/2022`, 'ENVIRONMENTAL_RATING_GREEN', '2023-06-01', '2024-06-01'],
      ['KEY_ATTENTION', 'ENVIRONMENT', `environmental_credit_rating/${C}/2023`, 'ENVIRONMENTAL_RATING_RED', '2024-06-01', '2025-06-01'],
      ['BLACK', 'ENVIRONMENT', `environmental_credit_rating/${C}/2024`, 'ENVIRONMENTAL_RATING_BLACK', '2025-06-01', null],
      ['BLACK', 'ENVIRONMENT', 'environmental_penalty/e1', 'SERIOUS_PENALTY', '2025-07-01', '2028-07-01'],
      ['KEY_ATTENTION', 'ENVIRONMENT', 'environmental_penalty/e2', 'ADMINISTRATIVE_PENALTY', '2025-07-01', '2026-07-01'],
    ]);
    expect(listDeterminations({})).toEqual([]);
    // Market records from before it kept recognitions: none is a red-list one.
    expect(listDeterminations({ market: { penalties: [], abnormalOperations: [], seriousViolations: [] } })).toEqual([]);
    // A record of a table no rule of that list names gives no entry.
    expect(listDeterminations({ courts: { dishonestDebtors: [{ recordId: 'consumption_restriction_order/x/1', listedOn: '2025-01-01', removedOn: null }] } })).toEqual([]);
    expect(listDeterminations({ market: null, tax: null, courts: null, environment: null })).toEqual([]);
  });

  it('puts a D rating on key attention until the next rating, and keeps in force only what has begun and not ended', () => {
    const records = {
      tax: {
        creditRatings: [
          { recordId: `tax_credit_rating/${C}/2024`, year: 2024, level: 'D', assessedOn: '2025-04-15' },
          { recordId: `tax_credit_rating/${C}/2025`, year: 2025, level: 'B', assessedOn: '2026-04-15' },
        ],
        majorViolations: [{ recordId: `major_tax_violation/${C}/later`, publishedOn: '2026-12-01', removedOn: null }],
        arrears: [],
      },
    };
    expect(listDeterminations(records).map((d) => [d.kind, d.trigger, d.since, d.until])).toEqual([
      ['KEY_ATTENTION', 'TAX_RATING_D', '2025-04-15', '2026-04-15'],
      ['BLACK', 'MAJOR_TAX_VIOLATION', '2026-12-01', null],
    ]);
    expect(determinationsInForce(records, '2026-04-14').map((d) => d.trigger)).toEqual(['TAX_RATING_D']);
    expect(determinationsInForce(records, '2026-04-15')).toEqual([]);
    expect(determinationsInForce(records, '2026-12-01').map((d) => d.trigger)).toEqual(['MAJOR_TAX_VIOLATION']);
  });

  it('takes the earliest notice day of an arrears notice listed in several rows, and ends it when the last tax is paid', () => {
    const arrears = (settled: (string | null)[]) =>
      listDeterminations({
        tax: {
          creditRatings: [],
          majorViolations: [],
          arrears: settled.map((settledOn, i) => ({ recordId: 'tax_arrears_notice/x/n', announcedOn: `2025-0${i + 1}-01`, settledOn })),
        },
      });
    expect(arrears(['2025-05-01', '2025-06-01'])).toEqual([expect.objectContaining({ since: '2025-01-01', until: '2025-06-01' })]);
    expect(arrears(['2025-07-01', '2025-06-01'])).toEqual([expect.objectContaining({ since: '2025-01-01', until: '2025-07-01' })]);
  });
});
