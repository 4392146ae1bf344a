/** The list rules: which records put whom on which list, as which trigger, for how long. */
import {
  commitmentBreachPeriod,
  COMMITMENT_BREACH_LIST_YEARS,
  entryInForce,
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
    for (const rule of LIST_RULES) {
      const creditworthy = ['TAX_RATING_A', 'ENVIRONMENTAL_RATING_GREEN'].includes(rule.trigger);
      expect(rule.kind === 'RED').toBe(creditworthy);
    }
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
    expect(['A', 'B', 'M', 'C', 'D'].map((l) => ratingListKind('TAX', l))).toEqual(['RED', null, null, null, null]);
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

  it('black-lists a published black-list penalty only', () => {
    expect(penaltyListKind('MARKET', { serious: true, area: 'FOOD_AND_DRUG', publishedOn: '2026-01-01' })).toBe('BLACK');
    expect(penaltyListKind('MARKET', { serious: true, area: 'FOOD_AND_DRUG', publishedOn: null })).toBeNull();
    expect(penaltyListKind('MARKET', { serious: true, area: 'OTHER', publishedOn: '2026-01-01' })).toBeNull();
    expect(penaltyListKind('ENVIRONMENT', { serious: true, publishedOn: '2026-01-01' })).toBe('BLACK');
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
      ['KEY_ATTENTION', 'MARKET', `abnormal_operations_entry/${C}/2025-01-01`, 'ABNORMAL_OPERATIONS', '2025-01-01', null],
      ['RED', 'ENVIRONMENT', `environmental_credit_rating/${C}/2022`, 'ENVIRONMENTAL_RATING_GREEN', '2023-06-01', '2024-06-01'],
      ['KEY_ATTENTION', 'ENVIRONMENT', `environmental_credit_rating/${C}/2023`, 'ENVIRONMENTAL_RATING_RED', '2024-06-01', '2025-06-01'],
      ['BLACK', 'ENVIRONMENT', `environmental_credit_rating/${C}/2024`, 'ENVIRONMENTAL_RATING_BLACK', '2025-06-01', null],
      ['BLACK', 'ENVIRONMENT', 'environmental_penalty/e1', 'SERIOUS_PENALTY', '2025-07-01', '2028-07-01'],
    ]);
    expect(listDeterminations({})).toEqual([]);
    // A record of a table no rule of that list names gives no entry.
    expect(listDeterminations({ courts: { dishonestDebtors: [{ recordId: 'consumption_restriction_order/x/1', listedOn: '2025-01-01', removedOn: null }] } })).toEqual([]);
    expect(listDeterminations({ market: null, tax: null, courts: null, environment: null })).toEqual([]);
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
