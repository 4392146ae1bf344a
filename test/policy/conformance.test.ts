/**
 * Conformance of the credit office to its policy (docs/policy.md): one row per
 * rule, each through the credit subgraph and the department subgraphs on the
 * real PostgreSQL server, asserting what a caller sees afterwards — the
 * verdict and the measures of a check, or the refusal. The rows include what
 * a dishonest subject would try: a black-list entry published after a clean
 * check, a record ended yesterday, an unregistered code, a disputed record, a
 * repaired one, a breach ended by its period, another subject's record.
 */
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { addDays, addMonths, addYears } from '../../subgraphs/credit/policy/calendar';
import { writeCourtRecords } from '../../subgraphs/courts/store';
import { writeContractHonouringRecognitions, writeMarketRecords, type PenaltyRow, type RegistrationRow } from '../../subgraphs/market/store';
import { writeTaxRecords } from '../../subgraphs/tax/store';
import { writeEnvironmentRecords } from '../../subgraphs/environment/store';
import { startCreditOffice, type CreditOffice } from '../helpers/credit-office';

const today = todayInChina();
let serial = 0;
const newCode = () => buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: `C${String(++serial).padStart(7, '0')}` });
const PERSON = buildResidentId('440305', '19800101', '321');
let people = 400;
const newPerson = () => buildResidentId('440305', '19810101', String(++people));

/** What a person representing a black-listed entity carries in each scenario (catalogue version of migration 012), and the verdict. */
const PERSON_LEVEL: Record<string, [string, string]> = {
  ADMINISTRATIVE_LICENSING: ['P_NO_SENIOR_POST', 'PROHIBITED'],
  PUBLIC_RESOURCE_TRADING: ['P_RESPONSIBLE_PERSONS_TRADING_RESTRICTION', 'RESTRICTED'],
  FINANCIAL_SERVICES: ['P_RESPONSIBLE_PERSONS_FINANCING_CAUTION', 'RESTRICTED'],
  FISCAL_SUPPORT: ['P_RESPONSIBLE_PERSONS_FISCAL_SUPPORT_RESTRICTION', 'RESTRICTED'],
  HONORS_AND_AWARDS: ['P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED', 'PROHIBITED'],
  REGULATORY_INSPECTION: ['P_RESPONSIBLE_PERSONS_FOCUSED_SUPERVISION', 'RESTRICTED'],
};

const registration = (code: string, establishedOn: string, legalRepId = buildResidentId('440305', '19700101', '111')): RegistrationRow => ({
  subject_code: code, name: `测试企业${code.slice(-4)}`, entity_type: 'ENTERPRISE', legal_rep_name: '张三', legal_rep_id: legalRepId,
  registered_capital: 1000000, established_on: establishedOn, status: 'ACTIVE', address: '深圳市', business_scope: '测试', registration_authority: '深圳市市场监督管理局',
});
const penalty = (code: string, number: string, overrides: Partial<PenaltyRow>): PenaltyRow => ({
  subject_code: code, decision_number: number, violation: '违法行为', content: '罚款', basis: '法', authority: '深圳市市场监督管理局', area: 'OTHER',
  serious: false, amount: 1000, decided_on: addDays(today, -60), published_on: addDays(today, -55), publication_ends_on: addYears(today, 1), ...overrides,
});

describe('credit policy conformance (credit office and departments on PostgreSQL)', () => {
  let office: CreditOffice;
  beforeAll(async () => {
    office = await startCreditOffice();
  }, 120_000);
  afterAll(() => office?.close());

  const market = (rows: Partial<Parameters<typeof writeMarketRecords>[1]>) =>
    writeMarketRecords(office.departments.market.db, { registrations: [], licences: [], penalties: [], abnormalOperations: [], seriousViolations: [], spotChecks: [], ...rows });
  const debtor = (code: string, caseNumber: string, listedOn = addDays(today, -100), removedOn: string | null = null) =>
    writeCourtRecords(office.departments.courts.db, {
      dishonestDebtors: [{ subject_code: code, case_number: caseNumber, court: '深圳市中级人民法院', basis_document: '判决书', obligation: '付款', performance_status: 'NOT_PERFORMED', dishonest_conduct: '拒不履行', listed_on: listedOn, removed_on: removedOn }],
      consumptionRestrictions: [],
      enforcementCases: [],
    });
  const gql = async (query: string, variables: Record<string, unknown> = {}, as = { role: 'CREDIT_OFFICE' as const }) => office.credit.graphql(query, variables, { as });
  const publish = (input: Record<string, unknown>) =>
    gql('mutation($input: PublishListEntryInput!) { publishListEntry(input: $input) { code kind department sourceRecord since until } }', {
      input: { reason: '认定', since: addDays(today, -10), ...input },
    });
  const codes = (result: any) => result.measures.map((m: { code: string }) => m.code);
  const tax = (rows: Partial<Parameters<typeof writeTaxRecords>[1]>) => writeTaxRecords(office.departments.tax.db, { creditRatings: [], majorViolations: [], arrears: [], ...rows });
  const grade = async (code: string) => (await gql('query($c: ID!) { subject(code: $c) { creditGrade } }', { c: code })).data.subject.creditGrade;
  const checksOf = async (code: string) => (await office.credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_check WHERE subject_code = $1', [code]))[0]!.n;
  const measure = (result: any, code: string) => result.measures.find((m: { code: string }) => m.code === code);

  // One row per rule of docs/policy.md; each arranges records, acts, and asserts what the caller then sees.
  const rows: [string, () => Promise<void>][] = [
    ['triggers: a dishonest judgment debtor is barred from bidding, the court initiating', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      await debtor(code, '（2026）粤03执1号');
      const result = await office.check(code, 'PUBLIC_RESOURCE_TRADING');
      expect(result.verdict).toBe('PROHIBITED');
      expect(measure(result, 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING')).toEqual(expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR', initiatingDepartment: 'COURTS', recordId: `dishonest_debtor/${code}/（2026）粤03执1号` }));
    }],
    ['black-list penalty areas: a serious work-safety penalty black-lists, a serious advertising one does not', async () => {
      const [safety, advertising] = [newCode(), newCode()];
      await market({ registrations: [registration(safety, '2015-01-01'), registration(advertising, '2015-01-01')], penalties: [penalty(safety, `深市监罚〔2026〕${serial}1号`, { area: 'WORK_SAFETY', serious: true }), penalty(advertising, `深市监罚〔2026〕${serial}2号`, { area: 'ADVERTISING', serious: true })] });
      const bad = await office.check(safety, 'PUBLIC_RESOURCE_TRADING');
      expect(bad.verdict).toBe('PROHIBITED');
      expect(measure(bad, 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING').trigger).toBe('SERIOUS_PENALTY');
      const lesser = await office.check(advertising, 'PUBLIC_RESOURCE_TRADING');
      expect(lesser.verdict).toBe('RESTRICTED');
      expect(codes(lesser)).toEqual(['P_KEY_ATTENTION_TRADING_RESTRICTION']);
      expect(lesser.measures[0].trigger).toBe('ADMINISTRATIVE_PENALTY');
    }],
    ['list rules: a black-list entry published after a clean check bars the next check, with one measure set for entry and record', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      expect((await office.check(code, 'PUBLIC_RESOURCE_TRADING')).verdict).toBe('CLEAR');
      await debtor(code, '（2026）粤03执2号');
      const published = await publish({ code, kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${code}/（2026）粤03执2号` });
      expect(published.errors).toBeUndefined();
      const after = await office.check(code, 'PUBLIC_RESOURCE_TRADING');
      expect(after.verdict).toBe('PROHIBITED');
      const barred = after.measures.filter((m: { code: string }) => m.code === 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING');
      expect(barred).toHaveLength(1);
      expect(barred[0].triggers).toEqual([expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR', initiatingDepartment: 'COURTS' })]);
      // The entry is the determination: it applies while the court does not answer.
      const courtsDown = await office.check(code, 'PUBLIC_RESOURCE_TRADING', { missing: ['courts'] });
      expect(courtsDown).toEqual(expect.objectContaining({ verdict: 'PROHIBITED', missingSources: ['COURTS'] }));
    }],
    ['list rules: an ended entry and a record ended yesterday trigger nothing', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      await debtor(code, '（2025）粤03执3号', addDays(today, -300), addDays(today, -1));
      const published = await publish({ code, kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${code}/（2025）粤03执3号`, since: addDays(today, -300) });
      expect(published.data.publishListEntry.until).toBe(addDays(today, -1)); // for as long as the rule says: the record's end
      const result = await office.check(code, 'PUBLIC_RESOURCE_TRADING');
      expect(result).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
    }],
    ['list rules: a red-list entry gives the red-list incentives, each once', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, addYears(today, -2))] }); // too young for three clean years: the incentives are the entry's
      await writeTaxRecords(office.departments.tax.db, { creditRatings: [{ subject_code: code, year: 2025, level: 'A', score: 95, assessed_on: addDays(today, -30), tax_authority: '深圳市税务局' }], majorViolations: [], arrears: [] });
      expect((await publish({ code, kind: 'RED', department: 'TAX', sourceRecord: `tax_credit_rating/${code}/2025`, since: addDays(today, -30) })).errors).toBeUndefined();
      const result = await office.check(code, 'ADMINISTRATIVE_LICENSING');
      expect(result.verdict).toBe('INCENTIVE');
      expect(codes(result)).toEqual(['I_ACCEPT_WITH_MISSING_DOCUMENTS', 'I_GREEN_CHANNEL']);
      expect(measure(result, 'I_GREEN_CHANNEL').triggers).toEqual([expect.objectContaining({ trigger: 'TAX_RATING_A', initiatingDepartment: 'TAX' })]);
      expect((await office.check(code, 'PUBLIC_RESOURCE_TRADING')).measures.map((m: { code: string }) => m.code)).toEqual(['I_TRADING_CREDIT_BONUS']);
    }],
    ['list rules: a key-attention entry gives the key-attention measures', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')], abnormalOperations: [{ subject_code: code, reason: '未按期公示年报', authority: '深圳市市场监督管理局', listed_on: addDays(today, -50), removed_on: null, removal_reason: null }] });
      expect((await publish({ code, kind: 'KEY_ATTENTION', department: 'MARKET', sourceRecord: `abnormal_operations_entry/${code}/${addDays(today, -50)}` })).errors).toBeUndefined();
      const result = await office.check(code, 'ADMINISTRATIVE_LICENSING');
      expect(result.verdict).toBe('RESTRICTED');
      expect(codes(result)).toEqual(['P_KEY_ATTENTION_STRICT_REVIEW']);
    }],
    ['list rules: publishing is refused without a rule, a record, or a record the rule lists — and the verdict does not move', async () => {
      const [code, other] = [newCode(), newCode()];
      await market({ registrations: [registration(code, '2015-01-01'), registration(other, '2015-01-01')], penalties: [penalty(code, `深市监罚〔2026〕${serial}9号`, {})] });
      await debtor(other, '（2026）粤03执4号');
      const reasons = [];
      for (const input of [
        { kind: 'RED', department: 'COURTS', sourceRecord: `dishonest_debtor/${code}/x` },
        { kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${code}/（2026）粤03执404号` },
        { kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${other}/（2026）粤03执4号` }, // another subject's record
        { kind: 'BLACK', department: 'MARKET', sourceRecord: `administrative_penalty/深市监罚〔2026〕${serial}9号` }, // not serious
        { kind: 'BLACK', department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/999999' },
      ]) {
        const { errors } = await publish({ code, ...input });
        expect(errors![0].extensions.code).toBe('BAD_USER_INPUT');
        reasons.push(errors![0].extensions.reason);
      }
      expect(reasons).toEqual(['NO_LIST_RULE', 'RECORD_NOT_FOUND', 'RECORD_NOT_FOUND', 'NOT_LISTED_BY_RULE', 'RECORD_NOT_FOUND']);
      expect((await gql('query($c: ID!) { subject(code: $c) { lists { kind } } }', { c: code })).data.subject.lists).toEqual([]);
      expect((await office.check(code, 'PUBLIC_RESOURCE_TRADING')).verdict).toBe('RESTRICTED');
    }],
    ['three-year window: an unregistered code gets no incentive and is said to be unregistered; three registered clean years get one', async () => {
      const [unknown, young, old] = [newCode(), newCode(), newCode()];
      await market({ registrations: [registration(young, addYears(today, -2)), registration(old, addYears(today, -5))] });
      expect(await office.check(unknown, 'ADMINISTRATIVE_LICENSING')).toEqual(expect.objectContaining({ verdict: 'CLEAR', registered: false, measures: [] }));
      expect(await office.check(young, 'ADMINISTRATIVE_LICENSING')).toEqual(expect.objectContaining({ verdict: 'CLEAR', registered: true, measures: [] }));
      const clean = await office.check(old, 'ADMINISTRATIVE_LICENSING');
      expect(clean.verdict).toBe('INCENTIVE');
      expect(measure(clean, 'I_GREEN_CHANNEL').trigger).toBe('NO_ADVERSE_RECORD_3_YEARS');
    }],
    ['objection deadline: a disputed record suspends its punishments while the department verifies within 20 days', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      await debtor(code, '（2026）粤03执5号');
      const filed = await gql('mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id verifyBy } }', {
        input: { subjectCode: code, department: 'COURTS', recordId: `dishonest_debtor/${code}/（2026）粤03执5号`, reason: '已履行', idempotencyKey: `c-${code}` },
      });
      expect(filed.data.fileObjection.verifyBy).toBe(addDays(today, 20));
      const disputed = await office.check(code, 'PUBLIC_RESOURCE_TRADING');
      expect(disputed.verdict).toBe('CLEAR');
      expect(disputed.measures.length).toBeGreaterThan(0);
      expect(disputed.measures.every((m: { suspended: boolean }) => m.suspended)).toBe(true);
    }],
    ['repair periods: a repaired penalty triggers nothing; a special-equipment penalty waits a year', async () => {
      const code = newCode();
      const published = addMonths(today, -4);
      await market({ registrations: [registration(code, '2015-01-01')], penalties: [
        penalty(code, `深市监罚〔2026〕${serial}7号`, { published_on: published, decided_on: addDays(published, -3) }),
        penalty(code, `深市监罚〔2026〕${serial}8号`, { published_on: published, decided_on: addDays(published, -3), area: 'SPECIAL_EQUIPMENT' }),
      ] });
      expect((await office.check(code, 'PUBLIC_RESOURCE_TRADING')).verdict).toBe('RESTRICTED');
      const apply = (input: Record<string, unknown>) =>
        gql('mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id status eligibleFrom } }', {
          input: { subjectCode: code, department: 'MARKET', rectification: ['RECTIFICATION'], ...input },
        });
      // The special-equipment penalty's area is the market's record's: stating OTHER does not make it eligible after 3 months.
      const stated = await apply({ recordId: `administrative_penalty/深市监罚〔2026〕${serial}8号`, area: 'OTHER', idempotencyKey: `r0-${code}` });
      expect(stated.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'RECORD_MISMATCH', field: 'area' }));
      const early = await apply({ recordId: `administrative_penalty/深市监罚〔2026〕${serial}8号`, idempotencyKey: `r1-${code}` });
      expect(early.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'NOT_ELIGIBLE_YET', eligibleFrom: addMonths(published, 12) }));
      const applied = await apply({ recordId: `administrative_penalty/深市监罚〔2026〕${serial}7号`, idempotencyKey: `r2-${code}` });
      expect(applied.data.applyForRepair.eligibleFrom).toBe(addMonths(published, 3));
      await gql('mutation($id: ID!) { decideRepair(id: $id, approve: true, note: "已整改") { status } }', { id: applied.data.applyForRepair.id });
      // Only the special-equipment penalty, not yet repairable, still triggers.
      const after = await office.check(code, 'PUBLIC_RESOURCE_TRADING');
      expect(new Set(after.measures.flatMap((m: any) => m.triggers.map((t: any) => t.recordId)))).toEqual(new Set([`administrative_penalty/深市监罚〔2026〕${serial}8号`]));
    }],
    ['commitment breach: black-listed at once, ended by its period or an upheld objection, and the check follows', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, addYears(today, -2))] });
      const made = await gql('mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }', {
        input: { subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '三个月内补齐材料', idempotencyKey: `m-${code}` },
      });
      const id = made.data.recordCommitment.id;
      await gql('mutation($id: ID!) { reportCommitmentBreach(id: $id, department: MARKET, note: "逾期未补齐") { status } }', { id });
      const breached = await office.check(code, 'ADMINISTRATIVE_LICENSING');
      expect(breached.verdict).toBe('PROHIBITED');
      expect(measure(breached, 'P_NO_NEW_PROJECT_APPROVAL')).toEqual(expect.objectContaining({ trigger: 'COMMITMENT_BREACH', initiatingDepartment: 'CREDIT_OFFICE', recordId: `credit_commitment/${id}`, until: addYears(today, 3) }));
      const objection = await gql('mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id } }', {
        input: { subjectCode: code, department: 'CREDIT_OFFICE', recordId: `credit_commitment/${id}`, reason: '材料已按期补齐', idempotencyKey: `o-${code}` },
      });
      await gql('mutation($id: ID!) { verifyObjection(id: $id, outcome: UPHELD, note: "核实", correction: REVOKED) { status } }', { id: objection.data.fileObjection.id });
      expect(await office.check(code, 'ADMINISTRATIVE_LICENSING')).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
      // A breach four months old, repaired: the subject applies three months after the breach, the credit office approves.
      const repaired = newCode();
      await market({ registrations: [registration(repaired, addYears(today, -2))] });
      const breachedOn = addMonths(today, -4);
      const [row] = await office.credit.db.query<{ id: string }>(
        `INSERT INTO credit_commitment (idempotency_key, request_fingerprint, subject_code, scenario, content, made_on, status, breached_on, breach_department)
         VALUES ($1, 'direct', $2, 'ADMINISTRATIVE_LICENSING', '承诺', $3::date, 'BREACHED', $3::date, 'MARKET') RETURNING id::text AS id`,
        [`m2-${repaired}`, repaired, breachedOn],
      );
      const sourceRecord = `credit_commitment/${row!.id}`;
      const entry = await publish({ code: repaired, kind: 'BLACK', department: 'CREDIT_OFFICE', sourceRecord, since: breachedOn });
      expect(entry.data.publishListEntry.until).toBe(addYears(breachedOn, 3));
      expect((await office.check(repaired, 'ADMINISTRATIVE_LICENSING')).verdict).toBe('PROHIBITED');
      const repair = await gql('mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id eligibleFrom } }', {
        input: { subjectCode: repaired, department: 'CREDIT_OFFICE', recordId: sourceRecord, recordKind: 'COMMITMENT_BREACH', publishedOn: breachedOn, rectification: ['COMMITMENT', 'RECTIFICATION'], idempotencyKey: `r-${repaired}` },
      });
      expect(repair.data.applyForRepair.eligibleFrom).toBe(addMonths(breachedOn, 3));
      await gql('mutation($id: ID!) { decideRepair(id: $id, approve: true, note: "已履行承诺") { status } }', { id: repair.data.applyForRepair.id });
      expect(await office.check(repaired, 'ADMINISTRATIVE_LICENSING')).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
      // A breach whose three years are over: its entry ended by its period.
      const old = newCode();
      await market({ registrations: [registration(old, addYears(today, -5))] });
      await office.credit.db.query(
        `INSERT INTO list_entry (subject_code, kind, reason, department, source_record, since, until) VALUES ($1, 'BLACK', '违反信用承诺', 'CREDIT_OFFICE', 'credit_commitment/424242', $2, $3)`,
        [old, addYears(today, -3), today],
      );
      // Nothing punishes any more, and a breach within three years is no clean record: no incentive either.
      expect(await office.check(old, 'ADMINISTRATIVE_LICENSING')).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
    }],
    ['responsible persons: the legal representative of a black-listed entity carries its person-level measures in every scenario, whichever department black-listed it, by list entry or by the record alone, and sees why', async () => {
      const entity = newCode();
      await market({ registrations: [registration(entity, '2015-01-01', PERSON)] });
      await debtor(entity, '（2026）粤03执6号');
      await publish({ code: entity, kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${entity}/（2026）粤03执6号` });
      const honours = await office.check(PERSON, 'HONORS_AND_AWARDS');
      expect(honours.verdict).toBe('PROHIBITED');
      expect(measure(honours, 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED')).toEqual(expect.objectContaining({ appliesTo: 'SUBJECT', recordSubjectCode: entity, initiatingDepartment: 'COURTS' }));
      // Entry and record are one determination: the person's measure names it once per trigger.
      expect(measure(honours, 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED').triggers.map((t: { trigger: string }) => t.trigger)).toEqual(['REPRESENTS_BLACKLISTED_ENTITY', 'DISHONEST_JUDGMENT_DEBTOR']);
      for (const scenario of ['PUBLIC_RESOURCE_TRADING', 'FINANCIAL_SERVICES']) {
        const result = await office.check(PERSON, scenario);
        expect(result.verdict).toBe('RESTRICTED');
        expect(codes(result)).toEqual([PERSON_LEVEL[scenario]![0], 'P_RESTRICTED_HIGH_CONSUMPTION'].sort());
      }
      expect(codes(await office.check(PERSON, 'ADMINISTRATIVE_LICENSING'))).toEqual(['P_NO_SENIOR_POST', 'P_RESTRICTED_HIGH_CONSUMPTION']);
      const why = await gql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { representedEntityEntries { code kind department sourceRecord } } } }`,
        { r: [{ __typename: 'Subject', code: PERSON, market: { representedEntities: [{ code: entity }] } }] },
      );
      expect(why.data._entities[0].representedEntityEntries).toEqual([{ code: entity, kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${entity}/（2026）粤03执6号` }]);

      // Black-listed by a court record nobody published, a tax case on the list, an environmental BLACK rating, the serious illegal list.
      const [courtOnly, taxListed, environmentRated, marketListed] = [newCode(), newCode(), newCode(), newCode()];
      const persons = { [courtOnly]: newPerson(), [taxListed]: newPerson(), [environmentRated]: newPerson(), [marketListed]: newPerson() };
      await market({
        registrations: Object.entries(persons).map(([code, person]) => registration(code, '2015-01-01', person)),
        seriousViolations: [{ subject_code: marketListed, reason: '严重违法失信', authority: '深圳市市场监督管理局', listed_on: addDays(today, -40), removed_on: null }],
      });
      await debtor(courtOnly, '（2026）粤03执60号');
      await tax({ majorViolations: [{ subject_code: taxListed, case_number: `深税稽〔2026〕6${serial}号`, nature: 'TAX_EVASION', amount: 1e6, facts: '偷税', tax_authority: '深圳市税务局', decided_on: addDays(today, -40), published_on: addDays(today, -30), removed_on: null }] });
      await writeEnvironmentRecords(office.departments.environment.db, { creditRatings: [{ subject_code: environmentRated, year: 2025, level: 'BLACK', authority: '深圳市生态环境局', assessed_on: addDays(today, -60) }], penalties: [], dischargePermits: [] });
      expect((await publish({ code: taxListed, kind: 'BLACK', department: 'TAX', sourceRecord: `major_tax_violation/${taxListed}/深税稽〔2026〕6${serial}号` })).errors).toBeUndefined();
      expect((await publish({ code: marketListed, kind: 'BLACK', department: 'MARKET', sourceRecord: `serious_violation_entry/${marketListed}/${addDays(today, -40)}` })).errors).toBeUndefined();
      const departments = { [courtOnly]: 'COURTS', [taxListed]: 'TAX', [environmentRated]: 'ENVIRONMENT', [marketListed]: 'MARKET' };
      for (const [code, person] of Object.entries(persons)) {
        for (const [scenario, [personLevel, verdict]] of Object.entries(PERSON_LEVEL)) {
          const result = await office.check(person, scenario);
          expect([scenario, code, result.verdict]).toEqual([scenario, code, verdict]);
          expect(measure(result, personLevel)).toEqual(
            expect.objectContaining({ appliesTo: 'SUBJECT', trigger: 'REPRESENTS_BLACKLISTED_ENTITY', initiatingDepartment: departments[code], recordSubjectCode: code }),
          );
        }
      }
    }],
    ['each measure once: two black-list records give one measure with both triggers', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      await debtor(code, '（2026）粤03执7号');
      await writeTaxRecords(office.departments.tax.db, { creditRatings: [], arrears: [], majorViolations: [{ subject_code: code, case_number: `深税稽〔2026〕${serial}号`, nature: 'TAX_EVASION', amount: 1e6, facts: '虚开', tax_authority: '深圳市税务局', decided_on: addDays(today, -40), published_on: addDays(today, -30), removed_on: null }] });
      const result = await office.check(code, 'PUBLIC_RESOURCE_TRADING');
      expect(new Set(codes(result)).size).toBe(result.measures.length);
      expect(measure(result, 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING').triggers.map((t: { trigger: string }) => t.trigger).sort()).toEqual(['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION']);
    }],
    ['verdict: fail closed — a clean subject with a department down is INCONCLUSIVE', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, addYears(today, -5))] });
      expect(await office.check(code, 'ADMINISTRATIVE_LICENSING', { missing: ['tax'] })).toEqual(expect.objectContaining({ verdict: 'INCONCLUSIVE', missingSources: ['TAX'] }));
    }],
    ['sampling ratios: a black-listed subject is graded D and sampled at 30%', async () => {
      const code = newCode();
      await debtor(code, '（2026）粤03执8号');
      await publish({ code, kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${code}/（2026）粤03执8号` });
      const sample = await gql('query($p: [ID!]!) { spotCheckSample(population: $p, size: 1, seed: "s") { selected { code grade samplingRate } } }', { p: [code] });
      expect(sample.data.spotCheckSample.selected).toEqual([{ code, grade: 'D', samplingRate: 0.3 }]);
    }],
    ['double publicity and disclosure: late publication counted, and the public sees a penalty only within its publication period', async () => {
      const code = newCode();
      await market({
        registrations: [registration(code, '2015-01-01')],
        penalties: [
          penalty(code, `深市监罚〔2025〕${serial}1号`, { decided_on: '2025-06-02', published_on: '2025-06-12', publication_ends_on: addDays(today, -1) }),
          penalty(code, `深市监罚〔2025〕${serial}2号`, { decided_on: '2025-06-03', published_on: '2025-06-12', publication_ends_on: addYears(today, 1) }),
        ],
      });
      const counts = await office.departments.market.graphql('{ marketPublicationTimeliness(from: "2025-06-02", to: "2025-06-03") { penalties { decided publishedLate } } }', {}, { as: { role: 'CREDIT_OFFICE' } });
      expect(counts.data.marketPublicationTimeliness.penalties).toEqual({ decided: 2, publishedLate: 1 });
      const [seen] = await office.departments.market.entities([code], 'market { penalties { recordId } }', { as: { role: 'PUBLIC' } });
      expect(seen.market.penalties).toEqual([{ recordId: `administrative_penalty/深市监罚〔2025〕${serial}2号` }]);
    }],
    ['check history: a past check reads back by its id for the caller that ran it and the credit office, not for another client', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      await debtor(code, '（2026）粤03执9号');
      const approval = { role: 'APPROVAL_SYSTEM' as const, clientId: 'approval-1', purpose: '许可 2026-0042' };
      const result = await office.check(code, 'PUBLIC_RESOURCE_TRADING', { as: approval });
      const RECORD = `query($id: ID!) { creditCheckRecord(checkId: $id) { checkId code scenario requestedBy requesterRole purpose verdict registered catalogueVersion measures { code trigger triggers { trigger } } } }`;
      const own = await office.credit.graphql(RECORD, { id: result.checkId }, { as: approval });
      expect(own.data.creditCheckRecord).toEqual(
        expect.objectContaining({ code, scenario: 'PUBLIC_RESOURCE_TRADING', requestedBy: 'approval-1', requesterRole: 'APPROVAL_SYSTEM', purpose: '许可 2026-0042', verdict: 'PROHIBITED', registered: true, catalogueVersion: result.catalogueVersion }),
      );
      expect(own.data.creditCheckRecord.measures.map((m: { code: string }) => m.code)).toEqual(codes(result));
      const other = await office.credit.graphql(RECORD, { id: result.checkId }, { as: { role: 'TRADING_PLATFORM', clientId: 'trading-9' } });
      expect(other.data.creditCheckRecord).toBeNull();
      const history = await gql('query($c: ID!) { subject(code: $c) { creditCheckHistory(first: 5) { checkId verdict requestedBy } } }', { c: code });
      expect(history.data.subject.creditCheckHistory).toEqual([{ checkId: result.checkId, verdict: 'PROHIBITED', requestedBy: 'approval-1' }]);
      // Many subjects in one request, newest first, at most `first` each; a subject never checked has none.
      const second = await office.check(code, 'FISCAL_SUPPORT', { as: approval });
      const many = await gql('query($c: [ID!]!) { subjects(codes: $c) { code creditCheckHistory(first: 1) { checkId scenario } } }', { c: [code, newCode()] });
      expect(many.data.subjects.map((s: { creditCheckHistory: unknown[] }) => s.creditCheckHistory)).toEqual([[{ checkId: second.checkId, scenario: 'FISCAL_SUPPORT' }], []]);
      expect((await gql('query($c: ID!) { subject(code: $c) { creditCheckHistory(first: 0) { checkId } } }', { c: code })).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    }],
    ['list rules and triggers agree: a D rating and a penalty below the black-list threshold are key-attention determinations — published, graded C, one measure set with the record', async () => {
      const [rated, fined] = [newCode(), newCode()];
      await market({ registrations: [registration(rated, '2015-01-01'), registration(fined, '2015-01-01')], penalties: [penalty(fined, `深市监罚〔2026〕${serial}5号`, {})] });
      await tax({ creditRatings: [{ subject_code: rated, year: 2025, level: 'D', score: 30, assessed_on: addDays(today, -30), tax_authority: '深圳市税务局' }] });
      const before = await office.check(rated, 'ADMINISTRATIVE_LICENSING');
      expect(before.verdict).toBe('RESTRICTED');
      expect(codes(before)).toEqual(['P_KEY_ATTENTION_STRICT_REVIEW']);
      expect((await publish({ code: rated, kind: 'KEY_ATTENTION', department: 'TAX', sourceRecord: `tax_credit_rating/${rated}/2025`, since: addDays(today, -30) })).errors).toBeUndefined();
      expect((await publish({ code: fined, kind: 'KEY_ATTENTION', department: 'MARKET', sourceRecord: `administrative_penalty/深市监罚〔2026〕${serial}5号`, since: addDays(today, -55) })).errors).toBeUndefined();
      expect([await grade(rated), await grade(fined)]).toEqual(['C', 'C']);
      const after = await office.check(rated, 'ADMINISTRATIVE_LICENSING');
      expect(after.measures).toEqual(before.measures);
      expect(after.measures[0].triggers).toEqual([expect.objectContaining({ trigger: 'TAX_RATING_D', initiatingDepartment: 'TAX', recordId: `tax_credit_rating/${rated}/2025` })]);
      // A B rating is on no list.
      const plain = newCode();
      await tax({ creditRatings: [{ subject_code: plain, year: 2025, level: 'B', score: 80, assessed_on: addDays(today, -30), tax_authority: '深圳市税务局' }] });
      const refused = await publish({ code: plain, kind: 'KEY_ATTENTION', department: 'TAX', sourceRecord: `tax_credit_rating/${plain}/2025`, since: addDays(today, -30) });
      expect(refused.errors![0].extensions.reason).toBe('NOT_LISTED_BY_RULE');
    }],
    ['list rules: an entry takes effect no earlier than its record and no later than today — a backdated or advance entry is refused and changes nothing', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      const listedOn = addDays(today, -20);
      await debtor(code, '（2026）粤03执20号', listedOn);
      const sourceRecord = `dishonest_debtor/${code}/（2026）粤03执20号`;
      const backdated = await publish({ code, kind: 'BLACK', department: 'COURTS', sourceRecord, since: addDays(listedOn, -365) });
      expect(backdated.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'SINCE_BEFORE_RECORD', field: 'since', recordSince: listedOn }));
      const advance = await publish({ code, kind: 'BLACK', department: 'COURTS', sourceRecord, since: addDays(today, 1) });
      expect(advance.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'SINCE_IN_FUTURE', field: 'since' }));
      expect((await gql('query($c: ID!) { subject(code: $c) { lists { kind } } }', { c: code })).data.subject.lists).toEqual([]);
      const published = await publish({ code, kind: 'BLACK', department: 'COURTS', sourceRecord, since: listedOn });
      expect(published.data.publishListEntry).toEqual(expect.objectContaining({ since: listedOn, until: null }));
      // A breached commitment's entry begins at the breach, not before it.
      const made = await gql('mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }', {
        input: { subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '承诺', idempotencyKey: `since-${code}` },
      });
      const [row] = await office.credit.db.query<{ id: string }>(
        `INSERT INTO credit_commitment (idempotency_key, request_fingerprint, subject_code, scenario, content, made_on, status, breached_on, breach_department)
         VALUES ($1, 'direct', $2, 'ADMINISTRATIVE_LICENSING', '承诺', $3::date, 'BREACHED', $3::date, 'MARKET') RETURNING id::text AS id`,
        [`since2-${code}`, code, addDays(today, -5)],
      );
      expect(made.errors).toBeUndefined();
      const early = await publish({ code, kind: 'BLACK', department: 'CREDIT_OFFICE', sourceRecord: `credit_commitment/${row!.id}`, since: addDays(today, -6) });
      expect(early.errors![0].extensions.reason).toBe('SINCE_BEFORE_RECORD');
    }],
    ['list rules: a contract-honouring recognition (守合同重信用) is a red-list determination — published, rewarded, refused without the record, ended when revoked', async () => {
      const [honoured, other] = [newCode(), newCode()];
      await market({ registrations: [registration(honoured, addYears(today, -2)), registration(other, addYears(today, -2))] });
      await writeContractHonouringRecognitions(office.departments.market.db, {
        recognitions: [{ subject_code: honoured, year: 2025, authority: '深圳市市场监督管理局', recognised_on: addDays(today, -60), valid_until: addYears(today, 1), revoked_on: null }],
      });
      const sourceRecord = `contract_honouring_recognition/${honoured}/2025`;
      expect((await publish({ code: other, kind: 'RED', department: 'MARKET', sourceRecord: `contract_honouring_recognition/${other}/2025` })).errors![0].extensions.reason).toBe('RECORD_NOT_FOUND');
      expect((await publish({ code: honoured, kind: 'RED', department: 'MARKET', sourceRecord: `serious_violation_entry/${honoured}/2025-01-01` })).errors![0].extensions.reason).toBe('NO_LIST_RULE');
      const published = await publish({ code: honoured, kind: 'RED', department: 'MARKET', sourceRecord, since: addDays(today, -60) });
      expect(published.data.publishListEntry).toEqual(expect.objectContaining({ kind: 'RED', until: addDays(addYears(today, 1), 1) }));
      const result = await office.check(honoured, 'ADMINISTRATIVE_LICENSING');
      expect(result.verdict).toBe('INCENTIVE');
      expect(codes(result)).toEqual(['I_ACCEPT_WITH_MISSING_DOCUMENTS', 'I_GREEN_CHANNEL']);
      expect(measure(result, 'I_GREEN_CHANNEL').triggers).toEqual([expect.objectContaining({ trigger: 'CONTRACT_HONOURING', initiatingDepartment: 'MARKET', recordId: sourceRecord })]);
      expect(codes(await office.check(honoured, 'PUBLIC_RESOURCE_TRADING'))).toEqual(['I_TRADING_CREDIT_BONUS']);
      expect(await grade(honoured)).toBe('A');
      // Revoked at market supervision, which ends the entry: the check follows at once.
      await office.departments.market.db.query('UPDATE contract_honouring_recognition SET revoked_on = $2 WHERE subject_code = $1', [honoured, today]);
      const ended = await gql('mutation($input: EndListEntryInput!) { endListEntry(input: $input) { until } }', { input: { kind: 'RED', department: 'MARKET', sourceRecord, until: today } });
      expect(ended.data.endListEntry.until).toBe(today);
      expect(await office.check(honoured, 'ADMINISTRATIVE_LICENSING')).toEqual(expect.objectContaining({ verdict: 'CLEAR', measures: [] }));
      expect(await grade(honoured)).toBe('B');
    }],
    ['no incentive without a record: with market supervision down the subject is neither registered nor unregistered, the verdict INCONCLUSIVE, and no incentive is listed', async () => {
      const [unknown, red] = [newCode(), newCode()];
      await market({ registrations: [registration(red, addYears(today, -2))] });
      await tax({ creditRatings: [{ subject_code: red, year: 2025, level: 'A', score: 95, assessed_on: addDays(today, -30), tax_authority: '深圳市税务局' }] });
      expect(await office.check(unknown, 'ADMINISTRATIVE_LICENSING', { missing: ['market'] })).toEqual(
        expect.objectContaining({ verdict: 'INCONCLUSIVE', registered: null, missingSources: ['MARKET'], measures: [] }),
      );
      expect((await office.check(red, 'ADMINISTRATIVE_LICENSING')).verdict).toBe('INCENTIVE');
      for (const missing of [['market'], ['courts']] as const) {
        expect(await office.check(red, 'ADMINISTRATIVE_LICENSING', { missing: [...missing] })).toEqual(expect.objectContaining({ verdict: 'INCONCLUSIVE', registered: true, measures: [] }));
      }
      const record = await gql('query($id: ID!) { creditCheckRecord(checkId: $id) { verdict registered measures { code } } }', {
        id: (await office.check(unknown, 'FISCAL_SUPPORT', { missing: ['market'] })).checkId,
      });
      expect(record.data.creditCheckRecord).toEqual({ verdict: 'INCONCLUSIVE', registered: null, measures: [] });
    }],
    ['no incentive for a subject that no longer trades: deregistered (注销) or revoked (吊销), no green channel for its rating, its red-list entry or its clean years', async () => {
      for (const status of ['DEREGISTERED', 'REVOKED']) {
        const [rated, clean] = [newCode(), newCode()];
        await market({ registrations: [{ ...registration(rated, addYears(today, -5)), status }, { ...registration(clean, addYears(today, -5)), status }] });
        await tax({ creditRatings: [{ subject_code: rated, year: 2025, level: 'A', score: 95, assessed_on: addDays(today, -30), tax_authority: '深圳市税务局' }] });
        await publish({ code: rated, kind: 'RED', department: 'TAX', sourceRecord: `tax_credit_rating/${rated}/2025`, since: addDays(today, -30) });
        for (const code of [rated, clean]) {
          for (const scenario of ['ADMINISTRATIVE_LICENSING', 'PUBLIC_RESOURCE_TRADING', 'REGULATORY_INSPECTION']) {
            expect(await office.check(code, scenario)).toEqual(expect.objectContaining({ verdict: 'CLEAR', registered: true, measures: [] }));
          }
        }
      }
    }],
    ['check history: a check is recorded when it is decided and only then, once, whatever is asked of it', async () => {
      const code = newCode();
      await market({ registrations: [registration(code, '2015-01-01')] });
      await debtor(code, '（2026）粤03执30号');
      // Naming the check records nothing: no id has been handed out yet.
      await office.credit.graphql('query($c: ID!) { creditCheck(code: $c, scenario: FISCAL_SUPPORT) { checkKey code scenario } }', { c: code }, { as: { role: 'CREDIT_OFFICE' } });
      expect(await checksOf(code)).toBe(0);
      const result = await office.check(code, 'FISCAL_SUPPORT');
      expect(await checksOf(code)).toBe(1);
      // The same check handed back again answers as recorded, and stays one check.
      const again = await office.credit.graphql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { checkId verdict measures { code triggers { trigger } } } } }`,
        { r: [{ __typename: 'CreditCheck', checkKey: result.checkId, code, scenario: 'FISCAL_SUPPORT', market: null, tax: null, courts: null, environment: null }] },
        { as: { role: 'CREDIT_OFFICE' } },
      );
      expect(again.data._entities[0]).toEqual({ checkId: result.checkId, verdict: result.verdict, measures: result.measures.map((m: any) => ({ code: m.code, triggers: m.triggers.map((t: any) => ({ trigger: t.trigger })) })) });
      expect(await checksOf(code)).toBe(1);
      // Handed back for another subject, it is refused.
      const forged = await office.credit.graphql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { checkId } } }`,
        { r: [{ __typename: 'CreditCheck', checkKey: result.checkId, code: newCode(), scenario: 'FISCAL_SUPPORT', market: null, tax: null, courts: null, environment: null }] },
        { as: { role: 'CREDIT_OFFICE' } },
      );
      expect(forged.errors).toBeDefined();
      // Feedback goes against a measure the check applied.
      const feedback = await gql('mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { checkId measureCode } }', {
        input: { checkId: result.checkId, measureCode: result.measures[0].code, department: '财政', action: 'APPLIED', idempotencyKey: `fb-${code}` },
      });
      expect(feedback.data.submitFeedback).toEqual({ checkId: result.checkId, measureCode: result.measures[0].code });
    }],
  ];

  it.each(rows)('%s', async (_rule, row) => row(), 60_000);
});
