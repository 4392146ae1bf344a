import crypto from 'node:crypto';
import { writeCreditRecords, type ListEntryRow } from '../../subgraphs/credit/store';
import { disputedRecords, inactiveRecords } from '../../subgraphs/credit/workflows/status';
import { addMonths, addYears } from '../../subgraphs/credit/policy/calendar';
import { verifyBy } from '../../subgraphs/credit/policy/objection';
import { recordKey, type RecordRef } from '../../subgraphs/credit/vocabulary';
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import { writeMarketRecords } from '../../subgraphs/market/store';
import { todayInChina } from '../../lib/clock';
import { countQueries, type CallerOverride, type SubgraphUnderTest } from '../helpers/subgraph';
import { startCreditOffice, type CreditOffice } from '../helpers/credit-office';
import { abnormalOperations, courtDebtor, environmentalPenalty, marketPenalty, seriousViolation, type DepartmentDatabases } from '../helpers/department-records';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(50000000 + n).slice(0, 8) });

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

let keySequence = 0;
const newKey = () => `key-${++keySequence}-${crypto.randomBytes(3).toString('hex')}`;

const OBJECTION = 'id subjectCode department recordId reason contact status filedAt verifyBy resolvedAt outcome correction resolutionNote overdue';
const FILE = `mutation($input: FileObjectionInput!) { fileObjection(input: $input) { ${OBJECTION} } }`;
const VERIFY = `mutation($id: ID!, $outcome: ObjectionOutcome!, $note: String!, $correction: RecordCorrection) {
  verifyObjection(id: $id, outcome: $outcome, note: $note, correction: $correction) { ${OBJECTION} } }`;
const OBJECTIONS = `query($status: ObjectionStatus, $department: Department, $overdue: Boolean, $first: Int, $after: String) {
  objections(status: $status, department: $department, overdue: $overdue, first: $first, after: $after) {
    nodes { id recordId status verifyBy overdue } endCursor hasNextPage } }`;

const REPAIR = 'id subjectCode department recordId recordKind publishedOn area rectification eligibleFrom status appliedAt decidedAt decisionNote';
const APPLY = `mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { ${REPAIR} } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!, $note: String!) { decideRepair(id: $id, approve: $approve, note: $note) { ${REPAIR} } }`;

const COMMITMENT = 'id subjectCode scenario content madeOn status breachedOn breachReportedBy breachNote madeTo';
const RECORD_COMMITMENT = `mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { ${COMMITMENT} } }`;
const BREACH = `mutation($id: ID!, $department: Department!, $note: String!) {
  reportCommitmentBreach(id: $id, department: $department, note: $note) { ${COMMITMENT} } }`;

const FEEDBACK = 'id checkId jointCaseId measureCode department action note submittedAt';
const SUBMIT = `mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { ${FEEDBACK} } }`;
const OPEN_CASE = `mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { id subjectCode initiatingDepartment trigger recordId createdAt } }`;

describe('credit office workflows', () => {
  let office: CreditOffice;
  let subgraph: SubgraphUnderTest;
  let dbs: DepartmentDatabases;
  const today = todayInChina();

  // Workflows are read against the departments' own records (subgraphs/credit/records.ts): the departments run too.
  beforeAll(async () => {
    office = await startCreditOffice();
    subgraph = office.credit;
    dbs = { market: office.departments.market.db, courts: office.departments.courts.db, environment: office.departments.environment.db };
  }, 120_000);
  afterAll(() => office?.close());

  /** The credit office acts for every department; the department clients for their own (below). */
  const CREDIT_OFFICE = { role: 'CREDIT_OFFICE' } as const;
  const COURTS_CLERK = { role: 'DEPARTMENT', department: 'COURTS', clientId: 'cli-courts' } as const;
  const MARKET_CLERK = { role: 'DEPARTMENT', department: 'MARKET', clientId: 'cli-market' } as const;

  /** Runs an operation that must succeed and returns its one root field. */
  async function ok<T = any>(query: string, variables: Record<string, unknown>, as: CallerOverride = CREDIT_OFFICE): Promise<T> {
    const result = await subgraph.graphql(query, variables, { as });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return Object.values(result.data as object)[0] as T;
  }

  /** Runs an operation that must be refused and returns the error's extensions (and message). */
  async function refused(query: string, variables: Record<string, unknown>, as: CallerOverride = CREDIT_OFFICE): Promise<Record<string, any>> {
    const result = await subgraph.graphql(query, variables, { as });
    expect(result.errors).toHaveLength(1);
    // A refused mutation answers null (its field is nullable), a refused query nothing at all.
    expect(result.data === null || Object.values(result.data as object).every((value) => value === null)).toBe(true);
    return { ...result.errors![0].extensions, message: result.errors![0].message };
  }

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (await subgraph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]!.n;

  const listEntry = (subject: string, department: string, sourceRecord: string, overrides: Partial<ListEntryRow> = {}): ListEntryRow => ({
    subject_code: subject,
    kind: 'BLACK',
    reason: '严重违法失信',
    department,
    source_record: sourceRecord,
    since: addDays(today, -200),
    until: null,
    ...overrides,
  });

  const entriesOn = (sourceRecord: string) =>
    subgraph.db.query<{ department: string; kind: string; since: string; until: string | null }>(
      `SELECT department, kind, since::text AS since, until::text AS until FROM list_entry WHERE source_record = $1 ORDER BY id`,
      [sourceRecord],
    );

  describe('objections', () => {
    const subject = code(1);
    const recordId = `dishonest_debtor/${subject}/（2025）粤0305执100号`;
    beforeAll(async () => {
      await courtDebtor(dbs, subject, addDays(today, -200), '（2025）粤0305执100号');
      await courtDebtor(dbs, subject, addDays(today, -200), 'other');
    });
    const fileInput = (overrides: Record<string, unknown> = {}) => ({
      subjectCode: subject.toLowerCase(),
      department: 'COURTS',
      recordId,
      reason: '已全部履行判决义务',
      contact: '0755-12345678',
      idempotencyKey: newKey(),
      ...overrides,
    });

    beforeAll(async () => {
      await writeCreditRecords(subgraph.db, {
        listEntries: [
          listEntry(subject, 'COURTS', recordId),
          listEntry(subject, 'COURTS', recordId, { kind: 'KEY_ATTENTION', since: addDays(today, 5) }), // not started yet
          listEntry(subject, 'MARKET', recordId), // another department's record of the same id
          listEntry(subject, 'COURTS', `dishonest_debtor/${subject}/other`),
        ],
      });
    });

    it('files an objection: open, disputed at once, verify by 20 days later, refused while open, retried once', async () => {
      const key = newKey();
      const filed = await ok(FILE, { input: fileInput({ idempotencyKey: key }) });
      expect(filed).toEqual(
        expect.objectContaining({
          subjectCode: subject,
          department: 'COURTS',
          recordId,
          status: 'OPEN',
          verifyBy: addDays(today, 20),
          resolvedAt: null,
          outcome: null,
          correction: null,
          overdue: false,
          contact: '0755-12345678',
        }),
      );
      expect(Date.parse(filed.filedAt)).toBeGreaterThan(Date.now() - 60_000);
      const ref = { department: 'COURTS', recordId } as const;
      expect(await disputedRecords(subgraph.db, [ref])).toEqual(new Set([recordKey(ref)]));
      expect(await inactiveRecords(subgraph.db, [ref])).toEqual(new Set());

      // The same request again (a retry) returns the same objection; the same key with another reason is refused.
      expect(await ok(FILE, { input: fileInput({ idempotencyKey: key }) })).toEqual(filed);
      const conflict = await refused(FILE, { input: fileInput({ idempotencyKey: key, reason: '另一理由' }) });
      expect(conflict).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_CONFLICT' }));

      // Retries racing each other and the original's effects: all answer the one objection.
      const racing = await Promise.all(Array.from({ length: 4 }, () => subgraph.graphql(FILE, { input: fileInput({ idempotencyKey: key }) }, { as: CREDIT_OFFICE })));
      expect(racing.map((r) => r.errors ?? r.data.fileObjection.id)).toEqual([filed.id, filed.id, filed.id, filed.id]);

      // A second objection to the same record while the first is open.
      const second = await refused(FILE, { input: fileInput() });
      expect(second).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' }));
      expect(second.message).toContain(filed.id);
      expect(await count('objection', 'record_id = $1', [recordId])).toBe(1);

      const { subject: bySubject } = await subgraph.graphql('query($c: ID!) { subject(code: $c) { objections { id status } } }', { c: subject }, { as: CREDIT_OFFICE }).then((r) => r.data);
      expect(bySubject.objections).toEqual([{ id: filed.id, status: 'OPEN' }]);
    });

    it('refuses an UPHELD verification without a correction, and a REJECTED one with a correction, changing nothing', async () => {
      const [open] = await subgraph.db.query<{ id: string }>(`SELECT id::text AS id FROM objection WHERE record_id = $1 AND status = 'OPEN'`, [recordId]);
      const missing = await refused(VERIFY, { id: open!.id, outcome: 'UPHELD', note: '核实有误' });
      expect(missing).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', field: 'correction' }));
      const extra = await refused(VERIFY, { id: open!.id, outcome: 'REJECTED', note: '核实无误', correction: 'REVOKED' });
      expect(extra.reason).toBe('INVALID_INPUT');
      expect(await count('objection', `id = $1 AND status = 'OPEN'`, [open!.id])).toBe(1);
    });

    it('OPEN → REJECTED: the record stands, measures resume, list entries unchanged; no second verification', async () => {
      const [open] = await subgraph.db.query<{ id: string }>(`SELECT id::text AS id FROM objection WHERE record_id = $1 AND status = 'OPEN'`, [recordId]);
      const before = await entriesOn(recordId);
      const rejected = await ok(VERIFY, { id: open!.id, outcome: 'REJECTED', note: '经核实，判决义务未履行' });
      expect(rejected).toEqual(
        expect.objectContaining({ status: 'REJECTED', outcome: 'REJECTED', correction: null, resolutionNote: '经核实，判决义务未履行', overdue: false }),
      );
      expect(rejected.resolvedAt).not.toBeNull();
      expect(await entriesOn(recordId)).toEqual(before);
      const ref = { department: 'COURTS', recordId } as const;
      expect(await disputedRecords(subgraph.db, [ref])).toEqual(new Set());
      expect(await inactiveRecords(subgraph.db, [ref])).toEqual(new Set());

      for (const outcome of ['UPHELD', 'REJECTED']) {
        const again = await refused(VERIFY, { id: open!.id, outcome, note: '再次核实', correction: outcome === 'UPHELD' ? 'CORRECTED' : null });
        expect(again).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION', status: 'REJECTED' }));
      }
      expect((await ok('query($id: ID!) { objection(id: $id) { status resolutionNote } }', { id: open!.id }))).toEqual({
        status: 'REJECTED',
        resolutionNote: '经核实，判决义务未履行',
      });
    });

    it('OPEN → UPHELD after a rejected one: the record triggers nothing and its list entries end today; no second verification', async () => {
      const filed = await ok(FILE, { input: fileInput({ reason: '案件已撤销' }) });
      // Filed after a rejection: it is verified like any, but does not suspend the verified record again
      // (else each new objection would buy another 20 days; found by a review of the running graph).
      expect(await disputedRecords(subgraph.db, [{ department: 'COURTS', recordId }])).toEqual(new Set());
      // Nor marks it: its list entries carry no dispute, as its department's record carries none (found by a black-box
      // review: the entry showed 异议处理中 while the court's record did not).
      const lists = (await ok('query($c: ID!) { subject(code: $c) { lists { department sourceRecord dispute { since } } } }', { c: subject })).lists;
      const onRecord = lists.filter((entry: { sourceRecord: string }) => entry.sourceRecord === recordId);
      expect(onRecord.length).toBeGreaterThan(0);
      expect(onRecord.map((entry: { dispute: unknown }) => entry.dispute)).toEqual(onRecord.map(() => null));
      // Concurrent verifications of one objection: exactly one applies.
      const results = await Promise.all([
        subgraph.graphql(VERIFY, { id: filed.id, outcome: 'UPHELD', note: '原判决已撤销', correction: 'REVOKED' }, { as: COURTS_CLERK }),
        subgraph.graphql(VERIFY, { id: filed.id, outcome: 'REJECTED', note: '并发核实' }, { as: COURTS_CLERK }),
      ]);
      const succeeded = results.filter((r) => !r.errors);
      expect(succeeded).toHaveLength(1);
      expect(results.find((r) => r.errors)!.errors![0].extensions.reason).toBe('INVALID_TRANSITION');
      if (succeeded[0]!.data.verifyObjection.status === 'REJECTED') {
        // The rejection won the race: file again and uphold, so the rest of the test sees an upheld objection.
        const again = await ok(FILE, { input: fileInput({ reason: '案件已撤销' }) });
        await ok(VERIFY, { id: again.id, outcome: 'UPHELD', note: '原判决已撤销', correction: 'REVOKED' });
      }
      const upheld = (await subgraph.db.query<{ id: string }>(`SELECT id::text AS id FROM objection WHERE record_id = $1 AND status = 'UPHELD'`, [recordId]))[0]!;
      expect(await ok('query($id: ID!) { objection(id: $id) { status outcome correction } }', { id: upheld.id })).toEqual({
        status: 'UPHELD',
        outcome: 'UPHELD',
        correction: 'REVOKED',
      });

      expect(await entriesOn(recordId)).toEqual([
        { department: 'COURTS', kind: 'BLACK', since: addDays(today, -200), until: today },
        // Not started yet: ends the day it would have started, so it is never in force.
        { department: 'COURTS', kind: 'KEY_ATTENTION', since: addDays(today, 5), until: addDays(today, 5) },
        { department: 'MARKET', kind: 'BLACK', since: addDays(today, -200), until: null },
      ]);
      expect(await entriesOn(`dishonest_debtor/${subject}/other`)).toEqual([
        { department: 'COURTS', kind: 'BLACK', since: addDays(today, -200), until: null },
      ]);
      const ref = { department: 'COURTS', recordId } as const;
      expect(await inactiveRecords(subgraph.db, [ref, { department: 'MARKET', recordId }])).toEqual(new Set([recordKey(ref)]));
      expect(await disputedRecords(subgraph.db, [ref])).toEqual(new Set());

      const again = await refused(VERIFY, { id: upheld.id, outcome: 'REJECTED', note: '改判' });
      expect(again).toEqual(expect.objectContaining({ reason: 'INVALID_TRANSITION', status: 'UPHELD' }));
    });

    it('refuses unknown objections with NOT_FOUND, and invalid input before touching the database', async () => {
      for (const id of ['999999999', 'abc', '0', '-1']) {
        expect((await refused(VERIFY, { id, outcome: 'REJECTED', note: 'x' })).reason).toBe('NOT_FOUND');
      }
      expect(await ok('query { objection(id: "abc") { id } }', {})).toBeNull();
      expect((await refused(FILE, { input: fileInput({ subjectCode: '91350100M000100Y44' }) })).reason).toBe('CHECKSUM');
      expect((await refused(FILE, { input: fileInput({ recordId: 'no table prefix' }) })).reason).toBe('INVALID_INPUT');
      expect((await refused(FILE, { input: fileInput({ reason: '   ' }) })).reason).toBe('INVALID_INPUT');
      expect((await refused(FILE, { input: fileInput({ idempotencyKey: '' }) })).reason).toBe('INVALID_INPUT');
    });

    it('refuses an objection to another subject\'s record, to a record that does not exist or in another department, storing nothing', async () => {
      const other = code(11);
      const othersRecord = await courtDebtor(dbs, other, addDays(today, -50));
      const cases: [Record<string, unknown>, string][] = [
        [{ recordId: othersRecord }, 'RECORD_OF_ANOTHER_SUBJECT'],
        [{ recordId: 'no_such_table/whatever' }, 'RECORD_NOT_FOUND'],
        [{ recordId: `dishonest_debtor/${subject}/（2099）不存在` }, 'RECORD_NOT_FOUND'],
        [{ department: 'TAX' }, 'RECORD_NOT_FOUND'],
        [{ department: 'CREDIT_OFFICE', recordId: 'credit_commitment/999999' }, 'RECORD_NOT_FOUND'],
      ];
      const before = await count('objection');
      for (const [overrides, reason] of cases) {
        const refusal = await refused(FILE, { input: fileInput(overrides) });
        expect(refusal).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason, field: 'recordId' }));
      }
      expect(await count('objection')).toBe(before);
      expect(await disputedRecords(subgraph.db, [{ department: 'COURTS', recordId: othersRecord }])).toEqual(new Set());
    });

    it('lets the legal representative object to the record of the entity it represents, and no other entity\'s', async () => {
      const entity = code(12);
      const stranger = code(13);
      const person = buildResidentId('440305', '19800101', '123');
      await writeMarketRecords(dbs.market as never, {
        registrations: [entity, stranger].map((c, i) => ({
          subject_code: c, name: `企业${i}`, entity_type: 'ENTERPRISE', legal_rep_name: '李四', legal_rep_id: i === 0 ? person : buildResidentId('440305', '19700101', '456'),
          registered_capital: 100, established_on: '2015-01-01', status: 'ACTIVE', address: '深圳', business_scope: '测试', registration_authority: '深圳市市场监督管理局',
        })),
        licences: [], penalties: [], abnormalOperations: [], seriousViolations: [], spotChecks: [],
      });
      const entityRecord = await courtDebtor(dbs, entity, addDays(today, -30));
      const strangerRecord = await courtDebtor(dbs, stranger, addDays(today, -30));
      const filed = await ok(FILE, { input: fileInput({ subjectCode: person, recordId: entityRecord }) });
      expect(filed).toEqual(expect.objectContaining({ subjectCode: person, recordId: entityRecord, status: 'OPEN' }));
      expect((await refused(FILE, { input: fileInput({ subjectCode: person, recordId: strangerRecord }) })).reason).toBe('RECORD_OF_ANOTHER_SUBJECT');
    });

    it('shows overdue objections: open past their verification date (China calendar)', async () => {
      const insert = (recordSuffix: string, filedAt: string, status = 'OPEN') =>
        subgraph.db.query<{ id: string }>(
          `INSERT INTO objection (idempotency_key, request_fingerprint, subject_code, department, record_id, reason, filed_at, status, resolved_at, correction, verify_by)
           VALUES ($1, 'direct', $2, 'TAX', $3, '逾期测试', $4::timestamptz, $5, CASE WHEN $5 = 'OPEN' THEN NULL ELSE now() END,
                   CASE WHEN $5 = 'UPHELD' THEN 'CORRECTED' END, $6::date)
           RETURNING id::text AS id`,
          // The deadline as fileObjection writes it: the policy's, from the China date of filing.
          [newKey(), subject, `tax_arrears_notice/${recordSuffix}`, filedAt, status, verifyBy(todayInChina(new Date(filedAt)))],
        );
      // 16:00 UTC is midnight in Beijing: the China date of filing is the UTC date plus one day.
      const [late] = await insert('late', `${addDays(today, -22)}T16:30:00Z`); // filed today-21 → verify by today-1: overdue
      const [dueToday] = await insert('due-today', `${addDays(today, -21)}T16:30:00Z`); // filed today-20 → verify by today
      const [lateButDone] = await insert('late-done', `${addDays(today, -40)}T02:00:00Z`, 'UPHELD');

      const overdue = await ok(OBJECTIONS, { overdue: true, first: 100 });
      expect(overdue.nodes.map((o: { id: string }) => o.id)).toEqual([late!.id]);
      expect(overdue.nodes[0]).toEqual(expect.objectContaining({ verifyBy: addDays(today, -1), overdue: true, status: 'OPEN' }));

      const open = await ok(OBJECTIONS, { status: 'OPEN', department: 'TAX', first: 100 });
      expect(open.nodes).toEqual([
        expect.objectContaining({ id: late!.id, overdue: true }),
        expect.objectContaining({ id: dueToday!.id, verifyBy: today, overdue: false }),
      ]);
      const notOverdue = await ok(OBJECTIONS, { department: 'TAX', overdue: false, first: 100 });
      expect(notOverdue.nodes.map((o: { id: string }) => o.id)).toEqual([dueToday!.id, lateButDone!.id]);
      expect((await ok(OBJECTIONS, { status: 'UPHELD', department: 'TAX', first: 100 })).nodes).toEqual([
        expect.objectContaining({ id: lateButDone!.id, overdue: false }),
      ]);
    });

    it('pages through every objection exactly once', async () => {
      const all = (await subgraph.db.query<{ id: string }>('SELECT id::text AS id FROM objection ORDER BY id')).map((r) => r.id);
      expect(all.length).toBeGreaterThan(3);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await ok(OBJECTIONS, { first: 2, after });
        seen.push(...page.nodes.map((o: { id: string }) => o.id));
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      expect(seen).toEqual(all);
      expect((await refused(OBJECTIONS, { first: 2, after: 'garbage' })).code).toBe('BAD_USER_INPUT');
      expect((await refused(OBJECTIONS, { first: 101 })).code).toBe('BAD_USER_INPUT');
    });
  });

  describe('credit repair', () => {
    const subject = code(2);
    /** The market's penalty of the subject, published on `publishedOn` in `area`: the record repair is decided on. */
    const penaltyOf = (publishedOn = addMonths(today, -6), area = 'ADVERTISING', serious = false) => marketPenalty(dbs, subject, publishedOn, { area, serious });
    const applyInput = (recordId: string, overrides: Record<string, unknown> = {}) => ({
      subjectCode: subject,
      department: 'MARKET',
      recordId,
      rectification: ['COMMITMENT', 'RECTIFICATION', 'COMMITMENT'],
      idempotencyKey: newKey(),
      ...overrides,
    });

    it.each([
      ['ADVERTISING', 3],
      ['OTHER', 3],
      ['PRICE', 3],
      ['SPECIAL_EQUIPMENT', 12],
      ['WORK_SAFETY', 12],
      ['FIRE_SAFETY', 12],
    ])('an administrative penalty in %s is eligible %d months after publication, not a day earlier (from the record)', async (area, months) => {
      const onTheDay = addMonths(today, -months);
      const accepted = await ok(APPLY, { input: applyInput(await penaltyOf(onTheDay, area)) });
      expect(accepted).toEqual(expect.objectContaining({ status: 'PENDING', eligibleFrom: addMonths(onTheDay, months), area, publishedOn: onTheDay, recordKind: 'ADMINISTRATIVE_PENALTY' }));
      expect(accepted.eligibleFrom <= today).toBe(true);

      const dayLater = addDays(onTheDay, 1);
      const tooEarly = await refused(APPLY, { input: applyInput(await penaltyOf(dayLater, area)) });
      expect(tooEarly).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE_YET', eligibleFrom: addMonths(dayLater, months) }));
      expect(tooEarly.eligibleFrom > today).toBe(true);
      expect(tooEarly.message).toContain(`from ${tooEarly.eligibleFrom}`);
    });

    it('refuses an area, kind or publication date the applicant states that differs from the record, storing nothing', async () => {
      // A special-equipment penalty (12 months) stated as OTHER (3 months) after 3 months: refused, not made eligible.
      const recordId = await penaltyOf(addMonths(today, -4), 'SPECIAL_EQUIPMENT');
      const stated = await refused(APPLY, { input: applyInput(recordId, { area: 'OTHER' }) });
      expect(stated).toEqual(expect.objectContaining({ reason: 'RECORD_MISMATCH', field: 'area', recordValue: 'SPECIAL_EQUIPMENT' }));
      expect((await refused(APPLY, { input: applyInput(recordId, { publishedOn: addMonths(today, -13) }) })).reason).toBe('RECORD_MISMATCH');
      expect((await refused(APPLY, { input: applyInput(recordId, { recordKind: 'ABNORMAL_OPERATIONS' }) })).reason).toBe('RECORD_MISMATCH');
      // Stating nothing: the record decides, and it is not eligible yet.
      expect((await refused(APPLY, { input: applyInput(recordId) })).reason).toBe('NOT_ELIGIBLE_YET');
      // Stating the record's own facts is fine.
      expect((await refused(APPLY, { input: applyInput(recordId, { area: 'SPECIAL_EQUIPMENT', recordKind: 'ADMINISTRATIVE_PENALTY' }) })).reason).toBe('NOT_ELIGIBLE_YET');
      expect(await count('repair_application', 'record_id = $1', [recordId])).toBe(0);
    });

    it('refuses a record the department does not hold, another subject\'s record, and one repair does not apply to', async () => {
      const other = code(22);
      const othersPenalty = await marketPenalty(dbs, other, addMonths(today, -6));
      expect((await refused(APPLY, { input: applyInput(othersPenalty) })).reason).toBe('RECORD_NOT_FOUND');
      const othersList = await seriousViolation(dbs, other, addMonths(today, -13));
      expect((await refused(APPLY, { input: applyInput(othersList) })).reason).toBe('RECORD_OF_ANOTHER_SUBJECT');
      expect((await refused(APPLY, { input: applyInput('no_such_table/whatever') })).reason).toBe('RECORD_NOT_FOUND');
      const debtor = await courtDebtor(dbs, subject, addMonths(today, -20));
      expect((await refused(APPLY, { input: applyInput(debtor, { department: 'COURTS' }) })).reason).toBe('NOT_REPAIRABLE');
      // The right record named under the wrong department.
      expect((await refused(APPLY, { input: applyInput(await penaltyOf(), { department: 'ENVIRONMENT' }) })).reason).toBe('RECORD_NOT_FOUND');
      expect(await count('repair_application', 'subject_code = $1 AND record_id = ANY($2)', [subject, [othersPenalty, othersList, debtor]])).toBe(0);
    });

    it('applies the penalty periods to serious penalties and the environment, one year to the serious violation list, none to the abnormal list', async () => {
      const envTooEarly = await refused(APPLY, {
        input: applyInput(await environmentalPenalty(dbs, subject, addDays(addMonths(today, -3), 1)), { department: 'ENVIRONMENT' }),
      });
      expect(envTooEarly.reason).toBe('NOT_ELIGIBLE_YET');
      const listTooEarly = await refused(APPLY, { input: applyInput(await seriousViolation(dbs, subject, addMonths(today, -11))) });
      expect(listTooEarly.eligibleFrom).toBe(addMonths(addMonths(today, -11), 12));
      const abnormal = await ok(APPLY, { input: applyInput(await abnormalOperations(dbs, subject, today)) });
      expect(abnormal).toEqual(expect.objectContaining({ recordKind: 'ABNORMAL_OPERATIONS', area: 'OTHER', eligibleFrom: today, status: 'PENDING', rectification: ['COMMITMENT', 'RECTIFICATION'] }));
    });

    it('refuses no rectification and an impossible stated date', async () => {
      const recordId = await penaltyOf();
      expect((await refused(APPLY, { input: applyInput(recordId, { publishedOn: '2025-02-30' }) })).reason).toBe('INVALID_INPUT');
      expect((await refused(APPLY, { input: applyInput(recordId, { rectification: [] }) })).reason).toBe('INVALID_INPUT');
    });

    it('PENDING → REJECTED keeps publication and measures; PENDING → APPROVED ends them; every other transition is refused', async () => {
      const recordId = await penaltyOf();
      await writeCreditRecords(subgraph.db, {
        listEntries: [listEntry(subject, 'MARKET', recordId, { kind: 'KEY_ATTENTION' }), listEntry(subject, 'ENVIRONMENT', recordId)],
      });
      const ref = { department: 'MARKET', recordId } as const;
      const key = newKey();
      const first = await ok(APPLY, { input: applyInput(recordId, { idempotencyKey: key }) });
      expect(first.status).toBe('PENDING');
      // One pending application per record.
      expect((await refused(APPLY, { input: applyInput(recordId) })).reason).toBe('INVALID_TRANSITION');
      expect(await inactiveRecords(subgraph.db, [ref])).toEqual(new Set());

      const rejected = await ok(DECIDE, { id: first.id, approve: false, note: '整改材料不全' });
      expect(rejected).toEqual(expect.objectContaining({ status: 'REJECTED', decisionNote: '整改材料不全' }));
      expect(rejected.decidedAt).not.toBeNull();
      expect((await entriesOn(recordId)).map((e) => e.until)).toEqual([null, null]);
      expect(await inactiveRecords(subgraph.db, [ref])).toEqual(new Set());
      for (const approve of [true, false]) {
        expect(await refused(DECIDE, { id: first.id, approve, note: '再次决定' })).toEqual(
          expect.objectContaining({ reason: 'INVALID_TRANSITION', status: 'REJECTED' }),
        );
      }

      // Applying again after a rejection is allowed.
      const second = await ok(APPLY, { input: applyInput(recordId, { rectification: ['COMMITMENT', 'TRAINING', 'REPORT', 'PUBLIC_SERVICE'] }) });
      const approved = await ok(DECIDE, { id: second.id, approve: true, note: '已整改到位' });
      expect(approved).toEqual(expect.objectContaining({ status: 'APPROVED', rectification: ['COMMITMENT', 'TRAINING', 'REPORT', 'PUBLIC_SERVICE'] }));
      expect(await entriesOn(recordId)).toEqual([
        { department: 'MARKET', kind: 'KEY_ATTENTION', since: addDays(today, -200), until: today },
        { department: 'ENVIRONMENT', kind: 'BLACK', since: addDays(today, -200), until: null },
      ]);
      expect(await inactiveRecords(subgraph.db, [ref, { department: 'ENVIRONMENT', recordId }])).toEqual(new Set([recordKey(ref)]));
      for (const approve of [true, false]) {
        expect(await refused(DECIDE, { id: second.id, approve, note: '再次决定' })).toEqual(
          expect.objectContaining({ reason: 'INVALID_TRANSITION', status: 'APPROVED' }),
        );
      }
      // Repairing a record twice: it was withdrawn as repaired.
      const twice = await refused(APPLY, { input: applyInput(recordId) });
      expect(twice).toEqual(expect.objectContaining({ reason: 'RECORD_WITHDRAWN', withdrawal: 'REPAIRED', reference: `repair/${second.id}` }));
      expect(twice.message).toMatch(/was repaired/);
      // A retry of the first application still answers what it created.
      expect(await ok(APPLY, { input: applyInput(recordId, { idempotencyKey: key, publishedOn: first.publishedOn }) })).toEqual(
        expect.objectContaining({ id: first.id, status: 'REJECTED' }),
      );
      expect((await refused(APPLY, { input: applyInput(recordId, { idempotencyKey: key, rectification: ['TRAINING'] }) })).reason).toBe('IDEMPOTENCY_CONFLICT');
      expect(await count('repair_application', 'record_id = $1', [recordId])).toBe(2);

      const bySubject = await ok('query($c: ID!) { subject(code: $c) { repairApplications { id status } } }', { c: subject });
      expect(bySubject.repairApplications).toEqual(expect.arrayContaining([{ id: first.id, status: 'REJECTED' }, { id: second.id, status: 'APPROVED' }]));
    });

    it('approves no repair while an objection to its record is verified: upheld, the record is revoked as wrong, never repaired', async () => {
      // Found by a black-box review: approved while the objection was open, then upheld with REVOKED, the record stayed
      // "repaired" and its repair notice public, as if the department had not just declared it wrong.
      const recordId = await penaltyOf();
      const application = await ok(APPLY, { input: applyInput(recordId) });
      const objection = await ok(FILE, { input: { subjectCode: subject, department: 'MARKET', recordId, reason: '处罚认定有误', idempotencyKey: newKey() } });
      expect(await refused(DECIDE, { id: application.id, approve: true, note: '已整改' })).toEqual(
        expect.objectContaining({ reason: 'RECORD_DISPUTED', objectionId: objection.id }),
      );
      expect((await ok('query($id: ID!) { repairApplication(id: $id) { status } }', { id: application.id })).status).toBe('PENDING');
      await ok(VERIFY, { id: objection.id, outcome: 'UPHELD', note: '处罚已撤销', correction: 'REVOKED' });
      expect(await refused(DECIDE, { id: application.id, approve: true, note: '已整改' })).toEqual(
        expect.objectContaining({ reason: 'RECORD_WITHDRAWN', withdrawal: 'REVOKED', reference: `objection/${objection.id}` }),
      );
      // A rejected objection leaves the repair to be decided as usual.
      const other = await penaltyOf();
      const pending = await ok(APPLY, { input: applyInput(other) });
      const rejected = await ok(FILE, { input: { subjectCode: subject, department: 'MARKET', recordId: other, reason: '不服', idempotencyKey: newKey() } });
      await ok(VERIFY, { id: rejected.id, outcome: 'REJECTED', note: '核实无误' });
      expect((await ok(DECIDE, { id: pending.id, approve: true, note: '已整改' })).status).toBe('APPROVED');
    });

    it('answers racing retries of one application with the one application, and racing applications for one record once', async () => {
      const input = applyInput(await penaltyOf());
      const retries = await Promise.all(Array.from({ length: 4 }, () => subgraph.graphql(APPLY, { input }, { as: CREDIT_OFFICE })));
      expect(retries.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined]);
      expect(new Set(retries.map((r) => r.data.applyForRepair.id)).size).toBe(1);
      const others = await Promise.all(Array.from({ length: 3 }, () => subgraph.graphql(APPLY, { input: applyInput(input.recordId) }, { as: CREDIT_OFFICE })));
      expect(others.map((r) => r.errors![0].extensions.reason)).toEqual(['INVALID_TRANSITION', 'INVALID_TRANSITION', 'INVALID_TRANSITION']);
      expect(await count('repair_application', 'record_id = $1', [input.recordId])).toBe(1);
    });

    it('decides concurrent decisions once, and refuses unknown applications', async () => {
      const application = await ok(APPLY, { input: applyInput(await penaltyOf()) });
      const approvals = [true, false, true];
      const results = await Promise.all(approvals.map((approve) => subgraph.graphql(DECIDE, { id: application.id, approve, note: '并发' }, { as: MARKET_CLERK })));
      // One decision: the same decision sent twice is a retry and answers it; the other one is refused.
      const decided = results.find((r) => !r.errors)!.data.decideRepair;
      approvals.forEach((approve, at) => {
        if (approve === (decided.status === 'APPROVED')) expect(results[at]!.data.decideRepair).toEqual(decided);
        else expect(results[at]!.errors![0].extensions.reason).toBe('INVALID_TRANSITION');
      });
      expect((await refused(DECIDE, { id: '123456789', approve: true, note: 'x' })).reason).toBe('NOT_FOUND');
      expect((await refused(DECIDE, { id: 'x1', approve: true, note: 'x' })).reason).toBe('NOT_FOUND');
      expect(await ok('query { repairApplication(id: "123456789") { id } }', {})).toBeNull();
    });
  });

  describe('credit commitments', () => {
    const subject = code(3);

    it('records a commitment, and a breach puts the subject on the black list once', async () => {
      const commitment = await ok(RECORD_COMMITMENT, {
        input: { subjectCode: subject, scenario: 'ADMINISTRATIVE_LICENSING', content: '承诺三个月内补齐消防验收材料', idempotencyKey: newKey() },
      });
      expect(commitment).toEqual(
        expect.objectContaining({ subjectCode: subject, status: 'KEPT', madeOn: today, breachedOn: null, breachReportedBy: null }),
      );
      expect(await count('list_entry', 'subject_code = $1', [subject])).toBe(0);

      const breached = await ok(BREACH, { id: commitment.id, department: 'MARKET', note: '逾期未补齐材料' });
      expect(breached).toEqual(expect.objectContaining({ status: 'BREACHED', breachedOn: today, breachReportedBy: 'MARKET', breachNote: '逾期未补齐材料' }));
      const lists = await ok('query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord since until reason } commitments { id status } } }', {
        c: subject,
      });
      expect(lists.lists).toEqual([
        // Every punishment has an exit: the breach's entry ends after the list rule's three years (policy/lists.ts).
        { kind: 'BLACK', department: 'CREDIT_OFFICE', sourceRecord: `credit_commitment/${commitment.id}`, since: today, until: addYears(today, 3), reason: expect.stringContaining('逾期未补齐材料') },
      ]);
      expect(lists.commitments).toEqual([{ id: commitment.id, status: 'BREACHED' }]);
      const page = await ok('query { listEntries(kind: BLACK, first: 100) { nodes { code sourceRecord } } }', {});
      expect(page.nodes).toContainEqual({ code: subject, sourceRecord: `credit_commitment/${commitment.id}` });

      const twice = await refused(BREACH, { id: commitment.id, department: 'TAX', note: '再次违诺' });
      expect(twice).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' }));
      expect(await count('list_entry', 'source_record = $1', [`credit_commitment/${commitment.id}`])).toBe(1);
      expect((await ok('query($id: ID!) { commitment(id: $id) { breachReportedBy } }', { id: commitment.id })).breachReportedBy).toBe('MARKET');
    });

    it('withdraws a breach revoked as wrong from public disclosure, where the credit office still sees it', async () => {
      // Found by a black-box review: the list entry went, but the public still read the commitment as BREACHED.
      const other = code(33);
      const commitment = await ok(RECORD_COMMITMENT, { input: { subjectCode: other, scenario: 'ADMINISTRATIVE_LICENSING', content: '承诺如实申报', idempotencyKey: newKey() } });
      await ok(BREACH, { id: commitment.id, department: 'MARKET', note: '未如实申报' });
      const shown = async () => {
        const bySubject = await ok('query($c: ID!) { subject(code: $c) { publicCommitments { id status } } }', { c: other }, { role: 'PUBLIC' });
        const listed = await ok('{ commitmentPublicity(first: 100) { nodes { id } } }', {}, { role: 'PUBLIC' });
        return { bySubject: bySubject.publicCommitments.map((c: { id: string }) => c.id), listed: listed.nodes.some((c: { id: string }) => c.id === commitment.id) };
      };
      expect(await shown()).toEqual({ bySubject: [commitment.id], listed: true });
      const objection = await ok(FILE, { input: { subjectCode: other, department: 'CREDIT_OFFICE', recordId: `credit_commitment/${commitment.id}`, reason: '已如实申报', idempotencyKey: newKey() } });
      await ok(VERIFY, { id: objection.id, outcome: 'UPHELD', note: '违诺认定有误', correction: 'REVOKED' });
      expect(await shown()).toEqual({ bySubject: [], listed: false });
      expect((await ok('query($c: ID!) { subject(code: $c) { commitments { id status } } }', { c: other })).commitments).toEqual([{ id: commitment.id, status: 'BREACHED' }]);
    });

    it('is idempotent per key (a retry on a later day is the same request), and refuses bad input', async () => {
      const input = { subjectCode: subject, scenario: 'FISCAL_SUPPORT', content: '如实申报', madeOn: addDays(today, -3), idempotencyKey: newKey() };
      const first = await ok(RECORD_COMMITMENT, { input });
      expect(first.madeOn).toBe(addDays(today, -3));
      expect(await ok(RECORD_COMMITMENT, { input })).toEqual(first);
      expect((await refused(RECORD_COMMITMENT, { input: { ...input, content: '另一承诺' } })).reason).toBe('IDEMPOTENCY_CONFLICT');
      expect((await refused(RECORD_COMMITMENT, { input: { ...input, idempotencyKey: newKey(), madeOn: addDays(today, 1) } })).reason).toBe('SINCE_IN_FUTURE');
      expect((await refused(BREACH, { id: '987654321', department: 'TAX', note: 'x' })).reason).toBe('NOT_FOUND');
    });
  });

  describe('joint cases and feedback', () => {
    const subject = code(5);
    const checkId = crypto.randomUUID();
    const bareCheckId = crypto.randomUUID();
    let jointCaseId: string;

    beforeAll(async () => {
      await courtDebtor(dbs, subject, addDays(today, -30), '（2025）粤0305执9号');
      // Both checks run by the credit office's client (test-credit_office), the second applying nothing.
      await subgraph.db.query(`INSERT INTO credit_check (check_id, subject_code, scenario, requested_by) VALUES ($1, $2, 'PUBLIC_RESOURCE_TRADING', 'test-credit_office'), ($3, $2, 'FINANCIAL_SERVICES', 'test-credit_office')`, [
        checkId,
        subject,
        bareCheckId,
      ]);
      await subgraph.db.query(
        `INSERT INTO applied_measure (check_id, measure_code, trigger, initiating_department, record_id, record_subject_code)
         VALUES ($1, 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', 'DISHONEST_JUDGMENT_DEBTOR', 'COURTS', $2, $3),
                ($1, 'P_PUBLIC_DISCLOSURE', 'DISHONEST_JUDGMENT_DEBTOR', 'COURTS', $2, $3)`,
        [checkId, `dishonest_debtor/${subject}/（2025）粤0305执9号`, subject],
      );
    });

    const feedbackInput = (overrides: Record<string, unknown> = {}) => ({
      checkId,
      measureCode: 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING',
      department: '深圳市公共资源交易中心',
      action: 'APPLIED',
      note: null,
      idempotencyKey: newKey(),
      ...overrides,
    });

    it('counts a retried submission once, also when the retries race, and refuses the key with another payload', async () => {
      const key = newKey();
      const first = await ok(SUBMIT, { input: feedbackInput({ idempotencyKey: key, checkId: checkId.toUpperCase() }) });
      expect(first).toEqual(expect.objectContaining({ checkId, jointCaseId: null, action: 'APPLIED', department: '深圳市公共资源交易中心' }));
      expect(await ok(SUBMIT, { input: feedbackInput({ idempotencyKey: key }) })).toEqual(first);
      expect(await count('feedback', 'idempotency_key = $1', [key])).toBe(1);

      const conflict = await refused(SUBMIT, { input: feedbackInput({ idempotencyKey: key, action: 'NOT_APPLIED', note: '未中标' }) });
      expect(conflict).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_CONFLICT' }));
      expect(conflict.message).toContain(key);

      const racing = newKey();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => subgraph.graphql(SUBMIT, { input: feedbackInput({ idempotencyKey: racing, measureCode: 'P_PUBLIC_DISCLOSURE' }) }, { as: CREDIT_OFFICE })),
      );
      expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(new Set(results.map((r) => r.data.submitFeedback.id)).size).toBe(1);
      expect(await count('feedback', 'idempotency_key = $1', [racing])).toBe(1);

      expect((await ok('query($c: ID!) { checkFeedback(checkId: $c) { id } }', { c: checkId })).map((f: { id: string }) => f.id)).toEqual([
        first.id,
        results[0]!.data.submitFeedback.id,
      ]);
    });

    it('refuses a check that does not exist, a measure the check did not apply, and any measure of a check that applied none', async () => {
      expect((await refused(SUBMIT, { input: feedbackInput({ checkId: crypto.randomUUID() }) })).reason).toBe('NOT_FOUND');
      expect((await refused(SUBMIT, { input: feedbackInput({ checkId: 'not-a-uuid' }) })).reason).toBe('NOT_FOUND');
      const notApplied = await refused(SUBMIT, { input: feedbackInput({ measureCode: 'P_NO_BOND_ISSUANCE' }) });
      expect(notApplied).toEqual(
        expect.objectContaining({ reason: 'MEASURE_NOT_APPLIED', appliedMeasures: ['P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', 'P_PUBLIC_DISCLOSURE'] }),
      );
      expect(notApplied.message).toContain('P_NO_BOND_ISSUANCE');
      const bare = await refused(SUBMIT, { input: feedbackInput({ checkId: bareCheckId, measureCode: 'P_HIGHER_LOAN_RATES', action: 'PARTIALLY_APPLIED', note: '提高利率，未拒贷' }) });
      expect(bare).toEqual(expect.objectContaining({ reason: 'MEASURE_NOT_APPLIED', appliedMeasures: [] }));
      expect(await count('feedback', 'check_id = $1', [bareCheckId])).toBe(0);
    });

    it('refuses feedback naming both or neither target, and a measure not applied without a note', async () => {
      expect((await refused(SUBMIT, { input: feedbackInput({ jointCaseId: '1' }) })).reason).toBe('INVALID_INPUT');
      expect((await refused(SUBMIT, { input: feedbackInput({ checkId: null }) })).reason).toBe('INVALID_INPUT');
      expect((await refused(SUBMIT, { input: feedbackInput({ action: 'NOT_APPLIED' }) })).reason).toBe('INVALID_INPUT');
    });

    it('opens a joint case (idempotent) and records feedback on it', async () => {
      const input = {
        subjectCode: subject,
        initiatingDepartment: 'COURTS',
        trigger: 'DISHONEST_JUDGMENT_DEBTOR',
        recordId: `dishonest_debtor/${subject}/（2025）粤0305执9号`,
        idempotencyKey: newKey(),
      };
      const opened = await ok(OPEN_CASE, { input });
      jointCaseId = opened.id;
      expect(opened).toEqual(expect.objectContaining({ subjectCode: subject, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR' }));
      expect(await ok(OPEN_CASE, { input })).toEqual(opened);
      expect((await refused(OPEN_CASE, { input: { ...input, initiatingDepartment: 'TAX', idempotencyKey: newKey() } })).reason).toBe('INVALID_INPUT');
      // Bound to the record: another subject's, one that does not exist, one that is not the trigger named.
      const others = await courtDebtor(dbs, code(55), addDays(today, -30));
      expect((await refused(OPEN_CASE, { input: { ...input, recordId: others, idempotencyKey: newKey() } })).reason).toBe('RECORD_OF_ANOTHER_SUBJECT');
      expect((await refused(OPEN_CASE, { input: { ...input, recordId: 'no_such_table/whatever', idempotencyKey: newKey() } })).reason).toBe('RECORD_NOT_FOUND');
      expect((await refused(OPEN_CASE, { input: { ...input, trigger: 'CONSUMPTION_RESTRICTION', idempotencyKey: newKey() } })).reason).toBe('RECORD_MISMATCH');
      expect(await count('joint_case', 'record_id = ANY($1)', [[others, 'no_such_table/whatever']])).toBe(0);

      const feedback = await ok(SUBMIT, { input: feedbackInput({ checkId: null, jointCaseId, measureCode: 'P_RESTRICTED_HIGH_CONSUMPTION', department: '中国民用航空局' }) });
      expect(feedback).toEqual(expect.objectContaining({ jointCaseId, checkId: null }));
      expect((await refused(SUBMIT, { input: feedbackInput({ checkId: null, jointCaseId: '99999999' }) })).reason).toBe('NOT_FOUND');
      const read = await ok('query($id: ID!) { jointCase(id: $id) { id feedback { id measureCode department } } }', { id: jointCaseId });
      expect(read).toEqual({ id: jointCaseId, feedback: [{ id: feedback.id, measureCode: 'P_RESTRICTED_HIGH_CONSUMPTION', department: '中国民用航空局' }] });
    });
  });

  describe('bound to the caller', () => {
    const subject = code(7);
    const PUBLISH = `mutation($input: PublishListEntryInput!) { publishListEntry(input: $input) { code kind } }`;
    let courtRecord: string;
    let marketRecord: string;
    beforeAll(async () => {
      courtRecord = await courtDebtor(dbs, subject, addDays(today, -40));
      marketRecord = await marketPenalty(dbs, subject, addMonths(today, -6));
    });
    const objectionTo = (department: string, recordId: string) => ({ subjectCode: subject, department, recordId, reason: '记录有误', idempotencyKey: newKey() });

    it('lets a department client file, verify, publish and decide for its own department only; other roles not at all', async () => {
      const refusedAs = async (as: CallerOverride, query: string, variables: Record<string, unknown>) => refused(query, variables, as);
      // Filing: the court at its own counter for its own record; not for the market's, and never an approval system.
      expect(await refusedAs(COURTS_CLERK, FILE, { input: objectionTo('MARKET', marketRecord) })).toEqual(
        expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT', operation: 'fileObjection' }),
      );
      expect((await refusedAs({ role: 'APPROVAL_SYSTEM' }, FILE, { input: objectionTo('COURTS', courtRecord) })).reason).toBe('NOT_ALLOWED');
      expect((await refusedAs({ role: 'DEPARTMENT' }, FILE, { input: objectionTo('COURTS', courtRecord) })).reason).toBe('NO_DEPARTMENT');
      expect(await count('objection', 'subject_code = $1', [subject])).toBe(0);
      const filed = await ok(FILE, { input: objectionTo('COURTS', courtRecord) }, COURTS_CLERK);

      // Verifying: the market's clerk cannot verify the court's objection; the court can.
      const wrong = await refusedAs(MARKET_CLERK, VERIFY, { id: filed.id, outcome: 'UPHELD', note: '撤销', correction: 'REVOKED' });
      expect(wrong).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT', department: 'MARKET' }));
      expect(wrong.message).toMatch(/^verifyObjection: /);
      expect(await count('objection', `id = $1 AND status = 'OPEN'`, [filed.id])).toBe(1);
      expect((await ok(VERIFY, { id: filed.id, outcome: 'REJECTED', note: '核实无误' }, COURTS_CLERK)).status).toBe('REJECTED');

      // Publishing: a market clerk publishing as the court is refused, and nothing is listed.
      const publish = { code: subject, kind: 'BLACK', department: 'COURTS', sourceRecord: courtRecord, reason: '失信被执行人', since: addDays(today, -40) };
      expect((await refusedAs(MARKET_CLERK, PUBLISH, { input: publish })).reason).toBe('OTHER_DEPARTMENT');
      expect(await count('list_entry', 'subject_code = $1', [subject])).toBe(0);
      expect((await ok(PUBLISH, { input: publish }, COURTS_CLERK)).kind).toBe('BLACK');

      // Repair: the market's record is decided by the market, not the court.
      const application = await ok(APPLY, { input: { subjectCode: subject, department: 'MARKET', recordId: marketRecord, rectification: ['RECTIFICATION'], idempotencyKey: newKey() } }, MARKET_CLERK);
      expect((await refusedAs(COURTS_CLERK, DECIDE, { id: application.id, approve: true, note: '整改' })).reason).toBe('OTHER_DEPARTMENT');
      expect(await count('repair_application', `id = $1 AND status = 'PENDING'`, [application.id])).toBe(1);
    });

    it('lets only the department a commitment was made to report its breach', async () => {
      const commitment = await ok(RECORD_COMMITMENT, { input: { subjectCode: subject, scenario: 'ADMINISTRATIVE_LICENSING', content: '补齐材料', idempotencyKey: newKey() } }, MARKET_CLERK);
      expect(commitment.madeTo).toBe('MARKET');
      expect((await refused(RECORD_COMMITMENT, { input: { subjectCode: subject, scenario: 'ADMINISTRATIVE_LICENSING', content: '补齐材料', department: 'TAX', idempotencyKey: newKey() } }, MARKET_CLERK)).reason).toBe('OTHER_DEPARTMENT');
      expect((await refused(BREACH, { id: commitment.id, department: 'COURTS', note: '违诺' }, COURTS_CLERK)).reason).toBe('OTHER_DEPARTMENT');
      expect((await refused(BREACH, { id: commitment.id, department: 'MARKET', note: '违诺' }, COURTS_CLERK)).reason).toBe('OTHER_DEPARTMENT');
      expect(await count('list_entry', 'source_record = $1', [`credit_commitment/${commitment.id}`])).toBe(0);
      expect((await ok(BREACH, { id: commitment.id, department: 'MARKET', note: '违诺' }, MARKET_CLERK)).status).toBe('BREACHED');
      // A person market supervision only names as a company's legal representative is no subject it deals with
      // (found by a second black-box review: it recorded such a person's commitment and breached it the same minute).
      const representative = buildResidentId('440305', '19820202', '321');
      await writeMarketRecords(dbs.market as never, {
        registrations: [{
          subject_code: code(14), name: '企业14', entity_type: 'ENTERPRISE', legal_rep_name: '王五', legal_rep_id: representative,
          registered_capital: 100, established_on: '2015-01-01', status: 'ACTIVE', address: '深圳', business_scope: '测试', registration_authority: '深圳市市场监督管理局',
        }],
        licences: [], penalties: [], abnormalOperations: [], seriousViolations: [], spotChecks: [],
      });
      expect((await refused(RECORD_COMMITMENT, { input: { subjectCode: representative, scenario: 'ADMINISTRATIVE_LICENSING', content: '个人承诺', idempotencyKey: newKey() } }, MARKET_CLERK)).reason).toBe('RECORD_NOT_FOUND');
    });

    it('takes feedback on a check from the client that ran it or a department implementing the measure, and scopes keys per client', async () => {
      const checkId = crypto.randomUUID();
      await subgraph.db.query(
        `INSERT INTO credit_check (check_id, subject_code, scenario, requested_by, decided_at, verdict, catalogue_version)
         VALUES ($1, $2, 'ADMINISTRATIVE_LICENSING', 'cli-approval', now(), 'RESTRICTED', (SELECT max(version) FROM catalogue_version))`,
        [checkId, subject],
      );
      await subgraph.db.query(
        `INSERT INTO applied_measure (check_id, measure_code, trigger, initiating_department, record_id, record_subject_code)
         SELECT $1, code, 'DISHONEST_JUDGMENT_DEBTOR', 'COURTS', $2, $3 FROM measure
          WHERE version = (SELECT max(version) FROM catalogue_version) AND code IN ('P_LICENCE_STRICT_REVIEW', 'P_FOCUSED_SUPERVISION')`,
        [checkId, courtRecord, subject],
      );
      const input = (overrides: Record<string, unknown> = {}) => ({ checkId, measureCode: 'P_LICENCE_STRICT_REVIEW', department: '市行政审批局', action: 'APPLIED', idempotencyKey: 'same-key', ...overrides });
      const APPROVAL = { role: 'APPROVAL_SYSTEM', clientId: 'cli-approval' } as const;
      const TRADING = { role: 'TRADING_PLATFORM', clientId: 'cli-trading' } as const;
      // Another client reads and answers nothing of this check.
      expect(await refused(SUBMIT, { input: input() }, TRADING)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'NOT_YOUR_CHECK' }));
      expect((await refused('query($c: ID!) { checkFeedback(checkId: $c) { id } }', { c: checkId }, TRADING)).reason).toBe('NOT_YOUR_CHECK');
      // The client that ran it: only a measure the check applied.
      expect((await refused(SUBMIT, { input: input({ measureCode: 'P_NO_SUCH_MEASURE' }) }, APPROVAL)).reason).toBe('MEASURE_NOT_APPLIED');
      // It names the body it serves, never a department by the graph's own name for it (found by a black-box review:
      // stored as TAX's); a department's client reports as its own department only.
      for (const department of ['TAX', ' CREDIT_OFFICE', 'tax', 'ＴＡＸ', 'TAX\u200b', '市税务局', '市市场监管局', '区法院']) {
        expect(await refused(SUBMIT, { input: input({ department, idempotencyKey: `as-${department}` }) }, APPROVAL)).toEqual(
          expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }),
        );
      }
      expect((await refused(SUBMIT, { input: input({ measureCode: 'P_FOCUSED_SUPERVISION', department: '市税务局', idempotencyKey: 'market-as-tax' }) }, MARKET_CLERK)).reason).toBe('OTHER_DEPARTMENT');
      expect(await count('feedback', 'check_id = $1::uuid', [checkId])).toBe(0);
      const mine = await ok(SUBMIT, { input: input() }, APPROVAL);
      // The same key from another client is that client's own request: no collision, no answer from the other's row.
      // The market implements the check's focused supervision (the catalogue names 市场监管), not the licence review.
      expect((await refused(SUBMIT, { input: input({ department: '市场监管局' }) }, MARKET_CLERK)).reason).toBe('NOT_YOUR_CHECK');
      const theirs = await ok(SUBMIT, { input: input({ measureCode: 'P_FOCUSED_SUPERVISION', action: 'PARTIALLY_APPLIED', note: '部分', department: '市场监管局' }) }, MARKET_CLERK);
      expect(theirs.id).not.toBe(mine.id);
      expect(await ok(SUBMIT, { input: input() }, APPROVAL)).toEqual(mine);
      expect((await ok('query($c: ID!) { checkFeedback(checkId: $c) { id } }', { c: checkId }, APPROVAL)).map((f: { id: string }) => f.id)).toEqual([mine.id, theirs.id]);
      // Objections too: the same key from two clients files two objections, each client's retry answers its own.
      const a = await ok(FILE, { input: { ...objectionTo('COURTS', courtRecord), idempotencyKey: 'shared-key' } }, COURTS_CLERK);
      await ok(VERIFY, { id: a.id, outcome: 'REJECTED', note: '无误' }, COURTS_CLERK);
      const b = await ok(FILE, { input: { ...objectionTo('MARKET', marketRecord), idempotencyKey: 'shared-key' } }, MARKET_CLERK);
      expect(b.id).not.toBe(a.id);
      expect((await ok(FILE, { input: { ...objectionTo('COURTS', courtRecord), idempotencyKey: 'shared-key' } }, COURTS_CLERK)).id).toBe(a.id);
    });
  });

  describe('self-service with a one-time filing code', () => {
    const subject = code(8);
    const ISSUE = `mutation($input: IssueFilingCodeInput!) { issueFilingCode(input: $input) { code subjectCode purpose expiresOn } }`;
    const OWN = `mutation($input: FileOwnObjectionInput!) { fileOwnObjection(input: $input) { id kind status verifyBy recordId } }`;
    const OWN_REPAIR = `mutation($input: ApplyForOwnRepairInput!) { applyForOwnRepair(input: $input) { id kind status eligibleFrom } }`;
    const FOLLOW = `query($id: ID!, $code: String!) { filing(id: $id, filingCode: $code) { id kind status note } }`;
    const PUBLIC = { role: 'PUBLIC' } as const;
    const issue = async (purpose = 'OBJECTION', who = subject) => (await ok(ISSUE, { input: { subjectCode: who, purpose, contact: '138****0000' } })).code as string;

    it('files the subject\'s own objection once per code, refuses every other use of it, and lets it follow the objection', async () => {
      const recordId = await courtDebtor(dbs, subject, addDays(today, -30));
      const filingCode = await issue();
      expect(filingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect((await refused(ISSUE, { input: { subjectCode: subject, purpose: 'OBJECTION', contact: 'x' } }, COURTS_CLERK)).reason).toBe('NOT_ALLOWED');
      const input = { filingCode: filingCode.toLowerCase(), subjectCode: subject, department: 'COURTS', recordId, reason: '已履行', idempotencyKey: 'own-1' };
      // Another subject's record, with the subject's own code: refused as one that does not exist (a public filer
      // must not learn whose a record is: that confirmed guessed identity numbers), and the code is not spent.
      const others = await courtDebtor(dbs, code(88), addDays(today, -30));
      const ofAnother = await refused(OWN, { input: { ...input, recordId: others } }, PUBLIC);
      const missing = await refused(OWN, { input: { ...input, recordId: `${others}0` } }, PUBLIC);
      expect([ofAnother.reason, missing.reason]).toEqual(['RECORD_NOT_FOUND', 'RECORD_NOT_FOUND']);
      expect(ofAnother.message.replace(others, '<id>')).toBe(missing.message.replace(`${others}0`, '<id>'));
      // The code for another subject, a guessed code, a repair code: refused alike.
      for (const wrong of [{ subjectCode: code(88) }, { filingCode: 'AAAA-BBBB-CCCC' }, { filingCode: await issue('REPAIR') }]) {
        expect(await refused(OWN, { input: { ...input, ...wrong } }, PUBLIC)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', operation: 'fileOwnObjection' }));
      }
      const filed = await ok(OWN, { input }, PUBLIC);
      expect(filed).toEqual(expect.objectContaining({ kind: 'OBJECTION', status: 'OPEN', verifyBy: addDays(today, 20), recordId }));
      expect(await disputedRecords(subgraph.db, [{ department: 'COURTS', recordId }])).toEqual(new Set([`COURTS:${recordId}`]));
      // A retry answers the same filing; any other filing with the spent code is refused.
      expect((await ok(OWN, { input }, PUBLIC)).id).toBe(filed.id);
      // (Against another of its records: the first is disputed already.)
      const second = await courtDebtor(dbs, subject, addDays(today, -20));
      const racing = await Promise.all([1, 2, 3].map((n) => subgraph.graphql(OWN, { input: { ...input, recordId: second, idempotencyKey: `own-race-${n}` } }, { as: PUBLIC })));
      expect(racing.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      // The spent code is refused before any record is looked up: it answers nothing about another's record or a missing one.
      for (const recordId of [others, `${others}0`]) {
        expect(await refused(OWN, { input: { ...input, recordId, idempotencyKey: `own-probe-${recordId.length}` } }, PUBLIC)).toEqual(
          expect.objectContaining({ code: 'FORBIDDEN', operation: 'fileOwnObjection' }),
        );
      }
      expect(await count('objection', 'subject_code = $1', [subject])).toBe(1);
      // Following it: with its code only.
      expect(await ok(FOLLOW, { id: filed.id, code: filingCode }, PUBLIC)).toEqual({ id: filed.id, kind: 'OBJECTION', status: 'OPEN', note: null });
      expect(await ok(FOLLOW, { id: filed.id, code: 'AAAA-BBBB-CCCC' }, PUBLIC)).toBeNull();
      await ok(VERIFY, { id: filed.id, outcome: 'REJECTED', note: '核实无误' }, COURTS_CLERK);
      expect((await ok(FOLLOW, { id: filed.id, code: filingCode }, PUBLIC)).status).toBe('REJECTED');
    });

    it('applies for the subject\'s own repair, eligibility from the record; a new code voids the unused one', async () => {
      const recordId = await marketPenalty(dbs, subject, addMonths(today, -4));
      const voided = await issue('REPAIR');
      const filingCode = await issue('REPAIR');
      const input = { filingCode: voided, subjectCode: subject, department: 'MARKET', recordId, rectification: ['RECTIFICATION'], idempotencyKey: 'own-repair' };
      expect((await refused(OWN_REPAIR, { input }, PUBLIC)).code).toBe('FORBIDDEN');
      const applied = await ok(OWN_REPAIR, { input: { ...input, filingCode } }, PUBLIC);
      expect(applied).toEqual(expect.objectContaining({ kind: 'REPAIR', status: 'PENDING', eligibleFrom: addMonths(addMonths(today, -4), 3) }));
    });
  });

  describe('status functions for the credit-check engine', () => {
    it('answer 1,000 subjects with one statement each, and none for an empty batch', async () => {
      const codes = Array.from({ length: 1000 }, (_, i) => code(1000 + i));
      const refs: RecordRef[] = codes.flatMap((c) => [
        { department: 'COURTS', recordId: `dishonest_debtor/${c}/（2024）粤执1号` },
        { department: 'MARKET', recordId: `administrative_penalty/${c}` },
      ]);
      // A few records of the batch have workflow state.
      await subgraph.db.query(
        `INSERT INTO objection (idempotency_key, request_fingerprint, subject_code, department, record_id, reason, status, resolved_at, correction, verify_by)
         VALUES ($1, 'direct', $3, 'COURTS', $4, '争议', 'OPEN', NULL, NULL, current_date + 20),
                ($2, 'direct', $5, 'COURTS', $6, '争议', 'UPHELD', now(), 'CORRECTED', current_date + 20)`,
        [newKey(), newKey(), codes[10], refs[20]!.recordId, codes[11], refs[22]!.recordId],
      );
      await subgraph.db.query(
        `INSERT INTO repair_application (idempotency_key, request_fingerprint, subject_code, department, record_id, record_kind, published_on, area,
                                         rectification, eligible_from, status, decided_at)
         VALUES ($1, 'direct', $2, 'MARKET', $3, 'ADMINISTRATIVE_PENALTY', '2024-01-01', 'OTHER', '{COMMITMENT}', '2024-04-01', 'APPROVED', now())`,
        [newKey(), codes[12], refs[25]!.recordId],
      );

      const disputed = await countQueries(subgraph.db, () => disputedRecords(subgraph.db, refs));
      expect(disputed.statements).toHaveLength(1);
      expect(disputed.result).toEqual(new Set([recordKey(refs[20]!)]));

      const inactive = await countQueries(subgraph.db, () => inactiveRecords(subgraph.db, [...refs, ...refs.slice(0, 30)]));
      expect(inactive.statements).toHaveLength(1);
      expect(inactive.result).toEqual(new Set([recordKey(refs[22]!), recordKey(refs[25]!)]));

      const empty = await countQueries(subgraph.db, async () => [
        await disputedRecords(subgraph.db, []),
        await inactiveRecords(subgraph.db, []),
      ]);
      expect(empty.statements).toHaveLength(0);
      expect(empty.result.map((r) => r.size)).toEqual([0, 0]);
    });

    it('resolves Subject workflow fields of many subjects with one statement per table', async () => {
      const codes = Array.from({ length: 200 }, (_, i) => code(3000 + i));
      const { result, statements } = await countQueries(subgraph.db, () =>
        subgraph.entities(codes, 'code objections { id } repairApplications { id } commitments { id }'),
      );
      expect(result).toHaveLength(200);
      expect(statements).toHaveLength(3);
    });
  });
});
