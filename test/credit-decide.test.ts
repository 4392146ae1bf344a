/**
 * The verdict rules of a credit check, as a pure function: triggers found in
 * the departments' records, measures per scenario, disputed and repaired
 * records, person-level measures, and failing closed.
 */
import { decide, type CheckInput, type CheckListEntry } from '../subgraphs/credit/checks/decide';
import type { Evidence } from '../subgraphs/credit/checks/evidence';
import { recordKey } from '../subgraphs/credit/vocabulary';
import { CATALOGUE, DEBTOR_RECORD, ENTITY, PERSON, TAX_RATING, TODAY, debtor, empty, input, marketPenalty, measure, nobody, rated } from './helpers/credit-check';

describe('credit check verdicts', () => {
  it('is CLEAR when nothing applies in the scenario', () => {
    expect(decide(input())).toEqual({ verdict: 'CLEAR', measures: [], missingSources: [], registered: true });
  });

  it('prohibits a dishonest debtor from bidding, naming the trigger record, department, basis and end', () => {
    const decision = decide(input({ evidence: debtor() }));
    expect(decision.verdict).toBe('PROHIBITED');
    expect(decision.measures.map((m) => [m.measure.code, m.appliesTo])).toEqual([
      ['BAR_BIDDING', 'SUBJECT'],
      ['HIGH_CONSUMPTION', 'LEGAL_REPRESENTATIVE'],
      ['STRICT_REVIEW', 'SUBJECT'],
    ]);
    expect(decision.measures[0]).toEqual(
      expect.objectContaining({
        trigger: 'DISHONEST_JUDGMENT_DEBTOR',
        initiatingDepartment: 'COURTS',
        recordId: DEBTOR_RECORD,
        recordSubjectCode: ENTITY,
        until: null,
        suspended: false,
      }),
    );
  });

  it('restricts, not bars, an organisation whose only bar falls on its legal representative', () => {
    const catalogue = [...CATALOGUE, measure({ code: 'NO_SENIOR_POST', kind: 'PUNISHMENT', effect: 'PROHIBIT', personLevel: true, triggers: ['DISHONEST_JUDGMENT_DEBTOR'], scenarios: ['ADMINISTRATIVE_LICENSING'] })];
    const decision = decide(input({ evidence: debtor(), scenario: 'ADMINISTRATIVE_LICENSING', measures: catalogue }));
    expect(decision.verdict).toBe('RESTRICTED');
    expect(decision.measures).toContainEqual(expect.objectContaining({ measure: expect.objectContaining({ code: 'NO_SENIOR_POST' }), appliesTo: 'LEGAL_REPRESENTATIVE' }));
    // The same bar on a person checked in their own right bars them.
    const person = decide(input({ code: PERSON, evidence: debtor(), scenario: 'ADMINISTRATIVE_LICENSING', measures: catalogue }));
    expect(person.verdict).toBe('PROHIBITED');
  });

  it('only restricts the same debtor in licensing, where no measure bars it', () => {
    expect(decide(input({ evidence: debtor(), scenario: 'ADMINISTRATIVE_LICENSING' })).verdict).toBe('RESTRICTED');
  });

  it('ignores records the department has removed, and records repaired or revoked at the credit office', () => {
    expect(decide(input({ evidence: debtor('2026-01-10') })).verdict).toBe('CLEAR');
    const key = recordKey({ department: 'COURTS', recordId: DEBTOR_RECORD });
    expect(decide(input({ evidence: debtor(), inactive: new Set([key]) }))).toEqual({ verdict: 'CLEAR', measures: [], missingSources: [], registered: true });
  });

  it('suspends the punishments of a disputed record but keeps them visible', () => {
    const key = recordKey({ department: 'COURTS', recordId: DEBTOR_RECORD });
    const decision = decide(input({ evidence: debtor(), disputed: new Set([key]) }));
    expect(decision.verdict).toBe('CLEAR');
    expect(decision.measures).toHaveLength(3);
    expect(decision.measures.every((m) => m.suspended)).toBe(true);
  });

  it('rewards tax rating A with the green channel, but not while an adverse record is in force', () => {
    const red = rated('A');
    red.market!.registration!.establishedOn = '2025-01-01'; // too young for the three-year rule: the rating alone
    const decision = decide(input({ evidence: red, scenario: 'ADMINISTRATIVE_LICENSING' }));
    expect(decision.verdict).toBe('INCENTIVE');
    expect(decision.measures.map((m) => [m.measure.code, m.trigger])).toEqual([['GREEN_CHANNEL', 'TAX_RATING_A']]);

    red.market!.abnormalOperations.push({ recordId: `abnormal_operations_entry/${ENTITY}/2026-02-01`, listedOn: '2026-02-01', removedOn: null });
    const listed = decide(input({ evidence: red, scenario: 'ADMINISTRATIVE_LICENSING' }));
    expect(listed.verdict).toBe('RESTRICTED');
    expect(listed.measures.map((m) => m.measure.code)).toEqual(['STRICT_REVIEW']);
  });

  it('grants the green channel after three years without adverse records in any department', () => {
    const clean = decide(input({ scenario: 'ADMINISTRATIVE_LICENSING' }));
    expect(clean.verdict).toBe('INCENTIVE');
    expect(clean.measures[0]).toEqual(expect.objectContaining({ trigger: 'NO_ADVERSE_RECORD_3_YEARS', initiatingDepartment: 'CREDIT_OFFICE' }));

    const lately = empty();
    lately.courts!.dishonestDebtors.push({ recordId: 'dishonest_debtor/x/y', listedOn: '2023-01-01', removedOn: '2024-05-01' });
    expect(decide(input({ evidence: lately, scenario: 'ADMINISTRATIVE_LICENSING' })).verdict).toBe('CLEAR');
  });

  it('ends a penalty measure with its publication, or with its own period if sooner', () => {
    const fined = empty();
    fined.market!.penalties.push(marketPenalty('administrative_penalty/京朝市监罚〔2026〕1号', '2027-11-08'));
    const decision = decide(input({ evidence: fined, scenario: 'ADMINISTRATIVE_LICENSING' }));
    expect(decision.measures.map((m) => [m.measure.code, m.until])).toEqual([
      ['PUBLICITY_PERIOD', '2027-05-24'],
      ['STRICT_REVIEW', '2027-11-08'],
    ]);
  });

  it('puts a breached commitment (its black-list entry) and a represented black-listed entity on the checked subject', () => {
    const breach = { code: ENTITY, kind: 'BLACK' as const, department: 'CREDIT_OFFICE' as const, sourceRecord: 'credit_commitment/7', since: '2026-10-01', until: '2029-10-01' };
    expect(decide(input({ listEntries: [breach] })).measures[0]).toEqual(
      expect.objectContaining({ trigger: 'COMMITMENT_BREACH', initiatingDepartment: 'CREDIT_OFFICE', recordId: 'credit_commitment/7', until: '2029-10-01' }),
    );
    // Ended by its period (or a repair or an upheld objection, which end it today): nothing.
    expect(decide(input({ listEntries: [{ ...breach, until: TODAY }] })).verdict).toBe('CLEAR');
    const person = decide(
      input({
        code: PERSON,
        evidence: { ...empty(), market: { ...empty().market!, registration: null, representedEntities: [{ code: ENTITY }] } },
        related: [{ code: ENTITY, evidence: empty(), listEntries: [{ code: ENTITY, kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${ENTITY}/c`, since: '2025-01-01', until: null }] }],
      }),
    );
    expect(person.verdict).toBe('RESTRICTED');
    // HIGH_CONSUMPTION is person-level: it reaches the person through the entity's record, once, with both triggers.
    expect(person.measures).toEqual([
      expect.objectContaining({
        measure: expect.objectContaining({ code: 'HIGH_CONSUMPTION' }),
        trigger: 'REPRESENTS_BLACKLISTED_ENTITY',
        recordSubjectCode: ENTITY,
        appliesTo: 'SUBJECT',
        initiatingDepartment: 'COURTS',
        triggers: [expect.objectContaining({ trigger: 'REPRESENTS_BLACKLISTED_ENTITY' }), expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR' })],
      }),
    ]);
  });

  it('ends a period measure with its record when the record ends first, and runs the whole period for a record without an end', () => {
    const endsSoon = empty();
    endsSoon.market!.penalties.push(marketPenalty('administrative_penalty/京朝市监罚〔2026〕1号', '2027-01-01'));
    expect(decide(input({ evidence: endsSoon, scenario: 'ADMINISTRATIVE_LICENSING' })).measures.map((m) => [m.measure.code, m.until])).toEqual([
      ['PUBLICITY_PERIOD', '2027-01-01'],
      ['STRICT_REVIEW', '2027-01-01'],
    ]);
    const openEnded = empty();
    openEnded.market!.penalties.push(marketPenalty('administrative_penalty/京朝市监罚〔2026〕1号', null));
    expect(decide(input({ evidence: openEnded, scenario: 'ADMINISTRATIVE_LICENSING' })).measures.map((m) => [m.measure.code, m.until])).toEqual([
      ['PUBLICITY_PERIOD', '2027-05-24'],
      ['STRICT_REVIEW', null],
    ]);
  });

  it('keeps a disputed creditworthy record\'s incentive: a dispute suspends punishments only', () => {
    const red = rated('A');
    red.market!.registration!.establishedOn = '2025-01-01';
    const decision = decide(input({ evidence: red, scenario: 'ADMINISTRATIVE_LICENSING', disputed: new Set([recordKey({ department: 'TAX', recordId: TAX_RATING })]) }));
    expect(decision.verdict).toBe('INCENTIVE');
    expect(decision.measures).toEqual([expect.objectContaining({ trigger: 'TAX_RATING_A', suspended: false })]);
  });

  it('applies nothing for a list entry that no list rule of its department covers', () => {
    const courtsRed = { code: ENTITY, kind: 'RED' as const, department: 'COURTS' as const, sourceRecord: DEBTOR_RECORD, since: '2025-06-01', until: null };
    expect(decide(input({ listEntries: [courtsRed] }))).toEqual({ verdict: 'CLEAR', measures: [], missingSources: [], registered: true });
  });

  it('earns no incentive while a disputed adverse record is in force, though its punishments are suspended', () => {
    const disputed = new Set([recordKey({ department: 'COURTS', recordId: DEBTOR_RECORD })]);
    const decision = decide(input({ scenario: 'ADMINISTRATIVE_LICENSING', evidence: rated('A', debtor()), disputed }));
    expect(decision.verdict).toBe('CLEAR');
    expect(decision.measures.map((m) => [m.measure.code, m.suspended])).toEqual([
      ['HIGH_CONSUMPTION', true],
      ['STRICT_REVIEW', true],
    ]);
  });

  it('lists the measures by code, whichever record applies them first', () => {
    // The D rating (a department record) is found before the breach (a list entry), and applies only STRICT_REVIEW.
    const breach = { code: ENTITY, kind: 'BLACK' as const, department: 'CREDIT_OFFICE' as const, sourceRecord: 'credit_commitment/7', since: '2026-10-01', until: '2029-10-01' };
    const decision = decide(input({ evidence: rated('D'), listEntries: [breach] }));
    expect(decision.measures.map((m) => [m.measure.code, m.trigger])).toEqual([
      ['BAR_BIDDING', 'COMMITMENT_BREACH'],
      ['STRICT_REVIEW', 'TAX_RATING_D'],
    ]);
  });

  describe('each measure once, with every record that applies it', () => {
    const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
    const penalties = ['1', '2', '3'].map((n) => `administrative_penalty/京朝市监罚〔2026〕${n}号`);
    /** Three penalties of the same kind, their publications ending on `ends`. */
    const fined = (ends: (string | null)[]) => {
      const evidence = empty();
      ends.forEach((end, i) => evidence.market!.penalties.push(marketPenalty(penalties[i]!, end)));
      return evidence;
    };
    const key = (recordId: string) => recordKey({ department: 'MARKET', recordId });

    it('names every record, and ends the measure with the last of them', () => {
      const decision = decide(input({ ...licensing, evidence: fined(['2027-01-01', '2028-06-01', '2027-06-01']) }));
      expect(decision.verdict).toBe('RESTRICTED');
      const review = decision.measures.find((m) => m.measure.code === 'STRICT_REVIEW')!;
      expect(review.triggers.map((t) => [t.trigger, t.recordId, t.until])).toEqual([
        ['ADMINISTRATIVE_PENALTY', penalties[0], '2027-01-01'],
        ['ADMINISTRATIVE_PENALTY', penalties[1], '2028-06-01'],
        ['ADMINISTRATIVE_PENALTY', penalties[2], '2027-06-01'],
      ]);
      expect(review).toEqual(expect.objectContaining({ recordId: penalties[0], until: '2028-06-01', suspended: false }));
      // A measure with its own period ends with it, or with the last record ending sooner.
      expect(decision.measures.find((m) => m.measure.code === 'PUBLICITY_PERIOD')!.until).toBe('2027-05-24');
    });

    it('names a record once, even when its department sends it twice', () => {
      const twice = debtor();
      twice.courts!.dishonestDebtors.push({ ...twice.courts!.dishonestDebtors[0]! });
      const decision = decide(input({ evidence: twice }));
      expect(decision.measures).toEqual(decide(input({ evidence: debtor() })).measures);
      expect(decision.measures.map((m) => m.triggers.length)).toEqual([1, 1, 1]);
    });

    it('does not end while one of its records has no end', () => {
      const decision = decide(input({ ...licensing, evidence: rated('D', fined(['2027-01-01'])) }));
      expect(decision.measures.map((m) => [m.measure.code, m.triggers.map((t) => t.trigger), m.until])).toEqual([
        ['PUBLICITY_PERIOD', ['ADMINISTRATIVE_PENALTY'], '2027-01-01'],
        ['STRICT_REVIEW', ['TAX_RATING_D', 'ADMINISTRATIVE_PENALTY'], null],
      ]);
    });

    it('applies it while one record is undisputed, named first and ending it; suspends it only when every record is disputed', () => {
      const evidence = fined(['2028-06-01', '2027-01-01']);
      const firstDisputed = decide(input({ ...licensing, evidence, disputed: new Set([key(penalties[0]!)]) }));
      expect(firstDisputed.verdict).toBe('RESTRICTED');
      const review = firstDisputed.measures.find((m) => m.measure.code === 'STRICT_REVIEW')!;
      expect(review).toEqual(expect.objectContaining({ recordId: penalties[1], until: '2027-01-01', suspended: false }));
      expect(review.triggers.map((t) => [t.recordId, t.suspended])).toEqual([
        [penalties[1], false],
        [penalties[0], true],
      ]);
      const bothDisputed = decide(input({ ...licensing, evidence, disputed: new Set(penalties.map(key)) }));
      expect(bothDisputed.verdict).toBe('CLEAR');
      expect(bothDisputed.measures.find((m) => m.measure.code === 'STRICT_REVIEW')).toEqual(expect.objectContaining({ recordId: penalties[0], until: '2028-06-01', suspended: true }));
    });
  });

  describe('list entries (the credit office\'s determinations)', () => {
    const entry = (overrides: Partial<CheckListEntry> = {}) => ({
      code: ENTITY, kind: 'BLACK' as const, department: 'COURTS' as const, sourceRecord: DEBTOR_RECORD, since: '2025-06-01', until: null, ...overrides,
    });

    it('applies an entry in force as its rule\'s trigger, and with its department record as one measure set', () => {
      const listed = decide(input({ listEntries: [entry()] }));
      expect(listed.verdict).toBe('PROHIBITED');
      const both = decide(input({ evidence: debtor(), listEntries: [entry()] }));
      expect(both.measures).toEqual(decide(input({ evidence: debtor() })).measures);
      expect(both.measures.every((m) => m.triggers.length === 1)).toBe(true);
    });

    it('takes the trigger of an entry and the department record it stands on from the record, while its department answers', () => {
      // A key-attention entry left on a rating the department holds as A: one determination, the record's.
      const stale = entry({ kind: 'KEY_ATTENTION', department: 'TAX', sourceRecord: TAX_RATING, since: '2026-04-15' });
      const decision = decide(input({ scenario: 'ADMINISTRATIVE_LICENSING', evidence: rated('A'), listEntries: [stale] }));
      expect(decision.verdict).toBe('INCENTIVE');
      expect(decision.measures.map((m) => m.triggers.map((t) => t.trigger))).toEqual([['TAX_RATING_A']]);
    });

    it('applies nothing for an entry ended or not begun, revoked or repaired; suspends a disputed one', () => {
      expect(decide(input({ listEntries: [entry({ until: TODAY })] })).verdict).toBe('CLEAR');
      expect(decide(input({ listEntries: [entry({ since: '2026-11-25' })] })).verdict).toBe('CLEAR');
      const key = recordKey({ department: 'COURTS', recordId: entry().sourceRecord });
      expect(decide(input({ listEntries: [entry()], inactive: new Set([key]) })).verdict).toBe('CLEAR');
      const disputed = decide(input({ listEntries: [entry()], disputed: new Set([key]) }));
      expect(disputed.verdict).toBe('CLEAR');
      expect(disputed.measures.every((m) => m.suspended)).toBe(true);
    });

    it('rewards a red-list entry, but only a registered subject, and never beside an adverse one', () => {
      const red = entry({ kind: 'RED', department: 'TAX', sourceRecord: TAX_RATING });
      const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
      expect(decide(input({ ...licensing, listEntries: [red] })).verdict).toBe('INCENTIVE');
      expect(decide(input({ ...licensing, evidence: nobody() }))).toEqual(expect.objectContaining({ verdict: 'CLEAR', registered: false }));
      expect(decide(input({ ...licensing, evidence: nobody(), knownToCreditOffice: true, listEntries: [red] })).verdict).toBe('INCENTIVE');
      expect(decide(input({ ...licensing, listEntries: [red, entry({ kind: 'KEY_ATTENTION', department: 'MARKET', sourceRecord: `abnormal_operations_entry/${ENTITY}/2025-01-01` })] })).verdict).toBe('RESTRICTED');
    });

    it('gives no three-clean-years incentive after an adverse determination within three years', () => {
      const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
      expect(decide(input(licensing)).measures.map((m) => m.trigger)).toEqual(['NO_ADVERSE_RECORD_3_YEARS']);
      const ended = entry({ department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/1', since: '2024-01-01', until: '2025-01-01' });
      expect(decide(input({ ...licensing, listEntries: [ended] })).verdict).toBe('CLEAR');
      expect(decide(input({ ...licensing, listEntries: [{ ...ended, since: '2020-01-01', until: '2023-01-01' }] })).verdict).toBe('INCENTIVE');
      const revoked = recordKey({ department: 'CREDIT_OFFICE', recordId: 'credit_commitment/1' });
      expect(decide(input({ ...licensing, listEntries: [ended], inactive: new Set([revoked]) })).verdict).toBe('INCENTIVE');
      expect(decide(input({ ...licensing, listEntries: [ended], inactive: new Set([revoked]), withdrawn: new Set([revoked]) })).verdict).toBe('INCENTIVE');
    });

    it('grants the three clean years as the credit office\'s determination of the day, whatever red-list entries the subject has', () => {
      const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
      expect(decide(input(licensing)).measures).toEqual([
        expect.objectContaining({
          measure: expect.objectContaining({ code: 'GREEN_CHANNEL' }),
          trigger: 'NO_ADVERSE_RECORD_3_YEARS',
          initiatingDepartment: 'CREDIT_OFFICE',
          recordId: `no_adverse_record/${ENTITY}/${TODAY}`,
          recordSubjectCode: ENTITY,
          until: null,
          suspended: false,
          appliesTo: 'SUBJECT',
        }),
      ]);
      const red = entry({ kind: 'RED', department: 'TAX', sourceRecord: TAX_RATING, since: '2026-04-15' });
      expect(decide(input({ ...licensing, listEntries: [red] })).measures[0]!.triggers.map((t) => t.trigger)).toEqual(['TAX_RATING_A', 'NO_ADVERSE_RECORD_3_YEARS']);
      // Beside an adverse determination within the three years, the red entry alone.
      const breach = entry({ department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/1', since: '2024-01-01', until: '2025-01-01' });
      expect(decide(input({ ...licensing, listEntries: [red, breach] })).measures[0]!.triggers.map((t) => t.trigger)).toEqual(['TAX_RATING_A']);
      expect(decide(input({ ...licensing, listEntries: [breach, red] })).measures[0]!.triggers.map((t) => t.trigger)).toEqual(['TAX_RATING_A']);
    });

    it('counts a determination made and repaired today in the three years, and none that has not begun', () => {
      const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
      const key = recordKey({ department: 'CREDIT_OFFICE', recordId: 'credit_commitment/3' });
      const today = entry({ department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/3', since: TODAY, until: TODAY });
      expect(decide(input({ ...licensing, listEntries: [today], inactive: new Set([key]), withdrawn: new Set() })).verdict).toBe('CLEAR');
      const tomorrow = entry({ department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/3', since: '2026-11-25', until: null });
      expect(decide(input({ ...licensing, listEntries: [tomorrow] })).verdict).toBe('INCENTIVE');
    });

    it('counts a repaired breach in the three years: the repair ends the punishment, not the history', () => {
      const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
      // Breached this year, repaired today: its entry ended, the record inactive, but not withdrawn as wrong.
      const repaired = entry({ department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/2', since: '2026-06-01', until: '2026-12-01' });
      const key = recordKey({ department: 'CREDIT_OFFICE', recordId: 'credit_commitment/2' });
      const decision = decide(input({ ...licensing, listEntries: [repaired], inactive: new Set([key]), withdrawn: new Set() }));
      expect(decision.verdict).toBe('CLEAR');
      expect(decision.measures.map((m) => m.trigger)).not.toContain('NO_ADVERSE_RECORD_3_YEARS');
    });
  });

  describe('fails closed', () => {
    /** On the abnormal operations list: restricted in licensing and bidding. */
    const abnormal = (): Evidence => {
      const evidence = empty();
      evidence.market!.abnormalOperations.push({ recordId: `abnormal_operations_entry/${ENTITY}/2026-01-01`, listedOn: '2026-01-01', removedOn: null });
      return evidence;
    };

    it('is INCONCLUSIVE, never CLEAR, when a department did not answer', () => {
      const decision = decide(input({ evidence: { ...empty(), courts: null } }));
      expect(decision).toEqual({ verdict: 'INCONCLUSIVE', measures: [], missingSources: ['COURTS'], registered: true });
    });

    it('stays PROHIBITED when what is missing could not make it worse', () => {
      const evidence = debtor();
      evidence.tax = null;
      expect(decide(input({ evidence }))).toEqual(expect.objectContaining({ verdict: 'PROHIBITED', missingSources: ['TAX'] }));
    });

    it('never lets CLEAR stand with a department missing, even where that department could only restrict', () => {
      expect(decide(input({ scenario: 'ADMINISTRATIVE_LICENSING', evidence: { ...empty(), courts: null } }))).toEqual({
        verdict: 'INCONCLUSIVE',
        measures: [],
        missingSources: ['COURTS'],
        registered: true,
      });
    });

    it('keeps RESTRICTED when the missing department could prohibit only in other scenarios', () => {
      const evidence = abnormal();
      evidence.courts = null; // the courts' records bar bidding and senior posts, not licences
      expect(decide(input({ scenario: 'ADMINISTRATIVE_LICENSING', evidence }))).toEqual(expect.objectContaining({ verdict: 'RESTRICTED', missingSources: ['COURTS'] }));
    });

    it('is INCONCLUSIVE when any one of the missing departments could make it worse', () => {
      const evidence = abnormal();
      evidence.tax = null;
      evidence.environment = null;
      expect(decide(input({ evidence }))).toEqual(expect.objectContaining({ verdict: 'INCONCLUSIVE', missingSources: ['TAX', 'ENVIRONMENT'] }));
    });

    it('turns RESTRICTED into INCONCLUSIVE when the missing department could prohibit', () => {
      const evidence = abnormal();
      evidence.tax = null; // MAJOR_TAX_VIOLATION bars bidding
      expect(decide(input({ evidence })).verdict).toBe('INCONCLUSIVE');
      evidence.tax = empty().tax;
      evidence.environment = null; // nothing environmental bars bidding in this catalogue
      expect(decide(input({ evidence }))).toEqual(expect.objectContaining({ verdict: 'RESTRICTED', missingSources: ['ENVIRONMENT'] }));
    });
  });

  describe('found by the review of the running graph', () => {
    const licensing = { scenario: 'ADMINISTRATIVE_LICENSING' as const };
    const personEvidence = (): Evidence => ({ ...empty(), market: { ...empty().market!, registration: null, representedEntities: [{ code: ENTITY }] } });
    const entity = (evidence: Evidence, listEntries: CheckInput['listEntries'] = []) => ({ code: ENTITY, evidence, listEntries });

    it('gives a legal representative the person-level measures of an entity black-listed by a court record that has no list entry', () => {
      const person = decide(input({ code: PERSON, scenario: 'FISCAL_SUPPORT', evidence: personEvidence(), related: [entity(debtor())] }));
      expect(person.verdict).toBe('PROHIBITED');
      expect(person.measures).toEqual([
        expect.objectContaining({
          measure: expect.objectContaining({ code: 'SENIOR_POST' }),
          trigger: 'REPRESENTS_BLACKLISTED_ENTITY',
          initiatingDepartment: 'COURTS',
          recordId: DEBTOR_RECORD,
          recordSubjectCode: ENTITY,
          appliesTo: 'SUBJECT',
          triggers: [expect.objectContaining({ trigger: 'REPRESENTS_BLACKLISTED_ENTITY' }), expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR' })],
        }),
      ]);
      // The entry and the record it stands on are one determination: the same measure set, each trigger once.
      const entry = { code: ENTITY, kind: 'BLACK' as const, department: 'COURTS' as const, sourceRecord: DEBTOR_RECORD, since: '2025-06-01', until: null };
      const both = decide(input({ code: PERSON, scenario: 'FISCAL_SUPPORT', evidence: personEvidence(), related: [entity(debtor(), [entry])] }));
      expect(both.measures).toEqual(person.measures);
      // A key-attention record of the entity is no black-listing: nothing reaches the person.
      const abnormal = empty();
      abnormal.market!.abnormalOperations.push({ recordId: `abnormal_operations_entry/${ENTITY}/2026-01-01`, listedOn: '2026-01-01', removedOn: null });
      expect(decide(input({ code: PERSON, scenario: 'FISCAL_SUPPORT', evidence: personEvidence(), related: [entity(abnormal)] })).measures).toEqual([]);
      // Removed by the court, or revoked at the credit office: nothing either.
      expect(decide(input({ code: PERSON, scenario: 'FISCAL_SUPPORT', evidence: personEvidence(), related: [entity(debtor('2026-01-10'))] })).verdict).toBe('CLEAR');
      const revoked = new Set([recordKey({ department: 'COURTS', recordId: DEBTOR_RECORD })]);
      expect(decide(input({ code: PERSON, scenario: 'FISCAL_SUPPORT', evidence: personEvidence(), related: [entity(debtor())], inactive: revoked })).verdict).toBe('CLEAR');
    });

    it('ends a representative\'s measures with the entity\'s black-list entry, and gives nothing for its ended or key-attention entries', () => {
      const blackEntry = { code: ENTITY, kind: 'BLACK' as const, department: 'COURTS' as const, sourceRecord: DEBTOR_RECORD, since: '2025-06-01', until: '2027-03-01' };
      const check = (listEntries: CheckInput['listEntries']) => decide(input({ code: PERSON, evidence: personEvidence(), related: [entity(empty(), listEntries)] }));
      expect(check([blackEntry]).measures).toEqual([expect.objectContaining({ measure: expect.objectContaining({ code: 'HIGH_CONSUMPTION' }), until: '2027-03-01' })]);
      expect(check([{ ...blackEntry, until: TODAY }])).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
      const keyAttention = { ...blackEntry, kind: 'KEY_ATTENTION' as const, department: 'MARKET' as const, sourceRecord: `abnormal_operations_entry/${ENTITY}/2026-01-01` };
      expect(check([keyAttention])).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
    });

    it('restricts an organisation whose legal representative is black-listed in person, and rewards it with nothing', () => {
      // Found by a black-box review: a company run by a dishonest judgment debtor got the green channel and 容缺受理.
      const personalRecord = `dishonest_debtor/${PERSON}/（2022）京0105执1446号`;
      const representative = (removedOn: string | null = null, listEntries: CheckInput['listEntries'] = []) => ({
        code: PERSON,
        evidence: { ...empty(), market: { ...empty().market!, registration: null }, courts: { dishonestDebtors: [{ recordId: personalRecord, listedOn: '2022-06-17', removedOn }], consumptionRestrictions: [] } },
        listEntries,
      });
      const red = rated('A');
      expect(decide(input({ ...licensing, evidence: red })).verdict).toBe('INCENTIVE');
      const organisation = decide(input({ ...licensing, evidence: red, related: [representative()] }));
      // The person's person-level measure falls on the legal representative: the organisation is restricted, not barred.
      expect(organisation.verdict).toBe('RESTRICTED');
      expect(organisation.measures).toEqual([
        expect.objectContaining({
          measure: expect.objectContaining({ code: 'HIGH_CONSUMPTION' }),
          trigger: 'DISHONEST_JUDGMENT_DEBTOR',
          initiatingDepartment: 'COURTS',
          recordId: personalRecord,
          recordSubjectCode: PERSON,
          appliesTo: 'LEGAL_REPRESENTATIVE',
        }),
      ]);
      // A prohibiting person-level measure restricts the organisation at most.
      expect(decide(input({ scenario: 'FISCAL_SUPPORT', related: [representative()] })).verdict).toBe('RESTRICTED');
      // By the person's list entry alone too, one determination with the record.
      const entry = { code: PERSON, kind: 'BLACK' as const, department: 'COURTS' as const, sourceRecord: personalRecord, since: '2022-06-17', until: null };
      const byEntry = { ...representative(), evidence: empty(), listEntries: [entry] };
      expect(decide(input({ ...licensing, evidence: red, related: [byEntry] })).measures.map((m) => m.recordId)).toEqual([personalRecord]);
      expect(decide(input({ ...licensing, evidence: red, related: [representative(null, [entry])] })).measures).toEqual(organisation.measures);
      // Removed by the court, or revoked at the credit office: the organisation is rewarded again.
      expect(decide(input({ ...licensing, evidence: red, related: [representative('2026-01-10')] })).verdict).toBe('INCENTIVE');
      const revoked = new Set([recordKey({ department: 'COURTS', recordId: personalRecord })]);
      expect(decide(input({ ...licensing, evidence: red, related: [representative()], inactive: revoked })).verdict).toBe('INCENTIVE');
      // A key-attention record of the person (a consumption restriction alone) is no black-listing.
      const restricted = { ...representative(), evidence: { ...empty(), courts: { dishonestDebtors: [], consumptionRestrictions: [{ recordId: `consumption_restriction/${PERSON}/1`, restrictedSubjectCode: PERSON, issuedOn: '2026-01-01', liftedOn: null }] } } };
      expect(decide(input({ ...licensing, evidence: red, related: [restricted] })).verdict).toBe('INCENTIVE');
      // The court did not answer for the representative: no verdict that could be wrong.
      expect(decide(input({ ...licensing, evidence: red, related: [{ ...representative(), evidence: { ...empty(), courts: null } }] }))).toEqual(
        expect.objectContaining({ verdict: 'INCONCLUSIVE', missingSources: ['COURTS'] }),
      );
    });

    it('fails closed for a person when a department did not answer for the entity they represent', () => {
      const unanswered = { ...debtor(), courts: null };
      const decision = decide(input({ code: PERSON, scenario: 'FISCAL_SUPPORT', evidence: personEvidence(), related: [entity(unanswered)] }));
      expect(decision).toEqual(expect.objectContaining({ verdict: 'INCONCLUSIVE', missingSources: ['COURTS'], measures: [] }));
    });

    it('says neither registered nor not registered when market supervision did not answer, and decides nothing', () => {
      expect(decide(input({ ...licensing, evidence: { ...nobody(), market: null } }))).toEqual({ verdict: 'INCONCLUSIVE', measures: [], missingSources: ['MARKET'], registered: null });
      // Someone who answered knows it: registered, whatever is missing.
      expect(decide(input({ ...licensing, evidence: { ...empty(), market: null } })).registered).toBe(true);
    });

    it('lists no incentive on an INCONCLUSIVE verdict', () => {
      const red = rated('A');
      expect(decide(input({ ...licensing, evidence: red })).verdict).toBe('INCENTIVE');
      expect(decide(input({ ...licensing, evidence: { ...red, courts: null } }))).toEqual({ verdict: 'INCONCLUSIVE', measures: [], missingSources: ['COURTS'], registered: true });
      // Punishments stay listed: a barred subject with a department missing is still barred.
      const barred = decide(input({ evidence: { ...debtor(), tax: null } }));
      expect(barred.measures.length).toBeGreaterThan(0);
    });

    it('rewards no deregistered or revoked subject: no green channel, for its rating, its red-list entry or its clean years', () => {
      const red = rated('A');
      const entry = { code: ENTITY, kind: 'RED' as const, department: 'TAX' as const, sourceRecord: TAX_RATING, since: '2026-04-15', until: null };
      for (const status of ['DEREGISTERED', 'REVOKED']) {
        red.market!.registration!.status = status;
        expect(decide(input({ ...licensing, evidence: red, listEntries: [entry] }))).toEqual({ verdict: 'CLEAR', measures: [], missingSources: [], registered: true });
        const clean = empty();
        clean.market!.registration!.status = status;
        expect(decide(input({ ...licensing, evidence: clean })).verdict).toBe('CLEAR');
      }
    });

    it('applies the key-attention measures to a D rating as its key-attention entry, one trigger for both', () => {
      const ratedD = rated('D');
      const entry = { code: ENTITY, kind: 'KEY_ATTENTION' as const, department: 'TAX' as const, sourceRecord: TAX_RATING, since: '2026-04-15', until: null };
      const byRecord = decide(input({ ...licensing, evidence: ratedD }));
      expect(byRecord.measures.map((m) => [m.measure.code, m.trigger])).toEqual([['STRICT_REVIEW', 'TAX_RATING_D']]);
      expect(decide(input({ ...licensing, evidence: ratedD, listEntries: [entry] })).measures).toEqual(byRecord.measures);
      expect(decide(input({ ...licensing, listEntries: [entry] })).measures).toEqual(byRecord.measures);
    });

    it('rewards a contract-honouring recognition in force, and nothing after it expired or was revoked', () => {
      const honoured = empty();
      honoured.market!.registration!.establishedOn = '2025-01-01';
      const recognition = { recordId: `contract_honouring_recognition/${ENTITY}/2025`, recognisedOn: '2026-03-01', validUntil: '2027-12-31', revokedOn: null as string | null };
      honoured.market!.contractHonouring = [recognition];
      const decision = decide(input({ ...licensing, evidence: honoured }));
      expect(decision.verdict).toBe('INCENTIVE');
      expect(decision.measures[0]).toEqual(expect.objectContaining({ trigger: 'CONTRACT_HONOURING', initiatingDepartment: 'MARKET', recordId: recognition.recordId, until: '2028-01-01' }));
      honoured.market!.contractHonouring = [{ ...recognition, revokedOn: '2026-10-01' }];
      expect(decide(input({ ...licensing, evidence: honoured })).verdict).toBe('CLEAR');
      honoured.market!.contractHonouring = [{ ...recognition, validUntil: '2026-11-23' }];
      expect(decide(input({ ...licensing, evidence: honoured })).verdict).toBe('CLEAR');
    });
  });
});
