/**
 * Workflows bound to real records, subjects and callers, and disclosure that
 * follows every decision (issue 13), through the gateway of the whole graph
 * (every service a real process, real PostgreSQL), as each role: the
 * refusals a dishonest subject, a careless clerk and an attacker would run
 * into, what PUBLIC sees after each decision, and a property: no sequence of
 * workflow mutations by a department's client changes the verdict of a
 * subject that department holds nothing of — unless the credit office decides.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { openDatabase } from '../../lib/db';
import { createClient } from '../../subgraphs/credit/clients';
import { maskResidentId, validateSubjectCode } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';

const FILE = 'mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id status verifyBy } }';
const VERIFY = 'mutation($id: ID!, $outcome: ObjectionOutcome!, $correction: RecordCorrection) { verifyObjection(id: $id, outcome: $outcome, note: "核实", correction: $correction) { id status } }';
const APPLY = 'mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id status eligibleFrom recordKind area publishedOn } }';
const DECIDE = 'mutation($id: ID!, $approve: Boolean!) { decideRepair(id: $id, approve: $approve, note: "整改到位") { id status } }';
const PUBLISH = 'mutation($input: PublishListEntryInput!) { publishListEntry(input: $input) { code kind } }';
const END = 'mutation($input: EndListEntryInput!) { endListEntry(input: $input) { until } }';
const OPEN_CASE = 'mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { id } }';
const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id madeTo } }';
const BREACH = 'mutation($id: ID!, $department: Department!) { reportCommitmentBreach(id: $id, department: $department, note: "违诺") { status } }';
const CHECK = 'query($code: ID!, $scenario: Scenario!) { creditCheck(code: $code, scenario: $scenario) { checkId verdict measures { code triggers { recordId suspended } } } }';

describe('workflows bound to records, subjects and callers; disclosure after decisions (through the gateway)', () => {
  let graph: TestGraph;
  let db: Client;
  const keys: Record<'MARKET' | 'TAX', string> = { MARKET: '', TAX: '' };
  const today = todayInChina();

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 400 });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    // Department clients of the market and tax authorities besides the demo's court client.
    const credit = await openDatabase({ schema: 'credit', url: graph.databaseUrl });
    try {
      for (const department of ['MARKET', 'TAX'] as const) {
        keys[department] = (await createClient(credit, { name: `${department} clerk`, role: 'DEPARTMENT', department })).apiKey;
      }
    } finally {
      await credit.close();
    }
  }, 240_000);
  afterAll(async () => {
    await db?.end();
    await graph?.close();
  });

  const PUBLIC = {};
  const COURTS = () => graph.as('DEPARTMENT', 'court clerk');
  const OFFICE = () => graph.as('CREDIT_OFFICE', 'credit office');
  const clerk = (department: 'MARKET' | 'TAX') => ({ 'x-api-key': keys[department], 'x-purpose': `${department} clerk` });
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  const refusal = (body: { errors?: any[] }) => ({ ...body.errors?.[0]?.extensions, message: body.errors?.[0]?.message });
  const count = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0].n as number;
  let serial = 0;
  const key = () => `e2e-13-${++serial}-${Date.now()}`;

  const courtRecordOf = async (code: string) => {
    const body = await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code }, OFFICE());
    return body.data.subject.courts.dishonestDebtors.find((r: { removedOn: string | null }) => r.removedOn === null).recordId as string;
  };
  const verdict = async (code: string) => (await gql(CHECK, { code, scenario: 'PUBLIC_RESOURCE_TRADING' }, graph.as('APPROVAL_SYSTEM', 'licence'))).data.creditCheck.verdict as string;

  describe('bound to the record', () => {
    it('refuses another subject\'s record and one that does not exist for objections, repairs and joint cases, storing nothing and changing no verdict', async () => {
      const victim = graph.seeded.examples.dishonestDebtor;
      const other = graph.seeded.examples.clean;
      const record = await courtRecordOf(victim);
      const before = await verdict(victim);
      expect(before).toBe('PROHIBITED');
      const attempts: [string, Record<string, unknown>, string][] = [
        [FILE, { input: { subjectCode: other, department: 'COURTS', recordId: record, reason: '不是我的', idempotencyKey: key() } }, 'RECORD_OF_ANOTHER_SUBJECT'],
        [FILE, { input: { subjectCode: other, department: 'COURTS', recordId: 'no_such_table/whatever', reason: 'x', idempotencyKey: key() } }, 'RECORD_NOT_FOUND'],
        [FILE, { input: { subjectCode: victim, department: 'TAX', recordId: record, reason: 'x', idempotencyKey: key() } }, 'RECORD_NOT_FOUND'],
        [APPLY, { input: { subjectCode: other, department: 'COURTS', recordId: record, rectification: ['COMMITMENT'], idempotencyKey: key() } }, 'RECORD_OF_ANOTHER_SUBJECT'],
        [OPEN_CASE, { input: { subjectCode: other, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR', recordId: record, idempotencyKey: key() } }, 'RECORD_OF_ANOTHER_SUBJECT'],
        [OPEN_CASE, { input: { subjectCode: other, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR', recordId: 'no_such_table/whatever', idempotencyKey: key() } }, 'RECORD_NOT_FOUND'],
      ];
      for (const [query, variables, reason] of attempts) {
        expect(refusal(await gql(query, variables, OFFICE()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason }));
      }
      expect(await count('SELECT count(*)::int AS n FROM credit.objection WHERE record_id = ANY($1)', [[record, 'no_such_table/whatever']])).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM credit.joint_case WHERE record_id = ANY($1)', [[record, 'no_such_table/whatever']])).toBe(0);
      expect(await verdict(victim)).toBe(before);
    });

    it('reads repair eligibility from the record: a stated kind or area that differs is refused', async () => {
      const code = graph.seeded.examples.seriousViolation;
      const body = await gql('query($c: ID!) { subject(code: $c) { market { seriousViolations { recordId removedOn } } } }', { c: code }, clerk('MARKET'));
      const recordId = body.data.subject.market.seriousViolations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const input = { subjectCode: code, department: 'MARKET', recordId, rectification: ['RECTIFICATION'] };
      expect(refusal(await gql(APPLY, { input: { ...input, area: 'FIRE_SAFETY', idempotencyKey: key() } }, clerk('MARKET')))).toEqual(expect.objectContaining({ reason: 'RECORD_MISMATCH', field: 'area', recordValue: 'OTHER' }));
      expect(refusal(await gql(APPLY, { input: { ...input, recordKind: 'ABNORMAL_OPERATIONS', idempotencyKey: key() } }, clerk('MARKET')))).toEqual(expect.objectContaining({ reason: 'RECORD_MISMATCH', field: 'recordKind' }));
      expect(await count('SELECT count(*)::int AS n FROM credit.repair_application WHERE record_id = $1', [recordId])).toBe(0);
    });
  });

  describe('bound to the caller', () => {
    it('refuses a department client acting for another department, in every form the request can take', async () => {
      const code = graph.seeded.examples.abnormalOperations;
      const body = await gql('query($c: ID!) { subject(code: $c) { market { abnormalOperations { recordId removedOn } } } }', { c: code }, clerk('MARKET'));
      const recordId = body.data.subject.market.abnormalOperations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const filed = await gql(FILE, { input: { subjectCode: code, department: 'MARKET', recordId, reason: '已更正', idempotencyKey: key() } }, clerk('MARKET'));
      expect(filed.errors).toBeUndefined();
      const id = filed.data.fileObjection.id;
      // The court's clerk: plain, aliased twice, through a fragment — refused each time, the objection stays open.
      expect(refusal(await gql(VERIFY, { id, outcome: 'UPHELD', correction: 'REVOKED' }, COURTS()))).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
      const aliased = await gql(`mutation($id: ID!) { a: verifyObjection(id: $id, outcome: REJECTED, note: "x") { id } b: verifyObjection(id: $id, outcome: UPHELD, note: "x", correction: REVOKED) { ...O } } fragment O on Objection { status }`, { id }, COURTS());
      // Mutations run one after the other; each refusal answers its own field null and stores nothing.
      expect(aliased.data).toEqual({ a: null, b: null });
      expect(aliased.errors!.length).toBe(2);
      expect(aliased.errors!.every((e: any) => e.extensions.reason === 'OTHER_DEPARTMENT')).toBe(true);
      expect(await count(`SELECT count(*)::int AS n FROM credit.objection WHERE id = $1 AND status = 'OPEN'`, [id])).toBe(1);
      // Publishing as another department, and reporting a breach for one.
      expect(refusal(await gql(PUBLISH, { input: { code, kind: 'KEY_ATTENTION', department: 'MARKET', sourceRecord: recordId, reason: '经营异常', since: today } }, COURTS())).reason).toBe('OTHER_DEPARTMENT');
      const commitment = await gql(COMMIT, { input: { subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '补齐材料', idempotencyKey: key() } }, clerk('MARKET'));
      expect(commitment.data.recordCommitment.madeTo).toBe('MARKET');
      expect(refusal(await gql(BREACH, { id: commitment.data.recordCommitment.id, department: 'TAX' }, clerk('TAX'))).reason).toBe('OTHER_DEPARTMENT');
      // The market itself verifies its own.
      expect((await gql(VERIFY, { id, outcome: 'REJECTED' }, clerk('MARKET'))).data.verifyObjection.status).toBe('REJECTED');
    });

    it('keeps a check\'s feedback to the client that ran it (or an implementing department), and measure codes to those it applied', async () => {
      const check = (await gql(CHECK, { code: graph.seeded.examples.dishonestDebtor, scenario: 'ADMINISTRATIVE_LICENSING' }, graph.as('APPROVAL_SYSTEM', 'licence 1'))).data.creditCheck;
      const measure = check.measures[0].code;
      const SUBMIT = 'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }';
      const input = { checkId: check.checkId, measureCode: measure, department: '市审批局', action: 'APPLIED', idempotencyKey: 'same-key' };
      const trading = graph.as('TRADING_PLATFORM', 'bidding');
      expect(refusal(await gql('query($c: ID!) { checkFeedback(checkId: $c) { id } }', { c: check.checkId }, trading))).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'NOT_YOUR_CHECK' }));
      expect(refusal(await gql(SUBMIT, { input }, trading)).reason).toBe('NOT_YOUR_CHECK');
      expect(refusal(await gql(SUBMIT, { input: { ...input, measureCode: 'P_DOES_NOT_EXIST' } }, graph.as('APPROVAL_SYSTEM', 'licence 1'))).reason).toBe('MEASURE_NOT_APPLIED');
      const mine = await gql(SUBMIT, { input }, graph.as('APPROVAL_SYSTEM', 'licence 1'));
      expect(mine.errors).toBeUndefined();
      expect((await gql('query($c: ID!) { checkFeedback(checkId: $c) { id } }', { c: check.checkId }, graph.as('APPROVAL_SYSTEM', 'x'))).data.checkFeedback).toEqual([{ id: mine.data.submitFeedback.id }]);
    });
  });

  describe('what PUBLIC sees', () => {
    it('refuses PUBLIC the clerks\' mutations with a message naming the mutation', async () => {
      const body = await gql(FILE, { input: { subjectCode: graph.seeded.examples.clean, department: 'COURTS', recordId: 'x/y', reason: 'x', idempotencyKey: 'p' } }, PUBLIC);
      expect(body.errors![0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors![0].message).toMatch(/not allowed to call mutation fileObjection/);
      expect(body.errors![0].message).not.toMatch(/read/);
    });

    it('masks natural persons in the public black list (code and source record), not for a department', async () => {
      const person = graph.seeded.examples.dishonestPerson;
      const nodes = async (headers: Record<string, string>) => {
        const all: { code: string; sourceRecord: string; subject: { code: string } | null }[] = [];
        let after: string | null = null;
        for (;;) {
          const page: any = await gql('query($a: String) { listEntries(kind: BLACK, first: 100, after: $a) { nodes { code sourceRecord subject { code } } endCursor hasNextPage } }', { a: after }, headers);
          all.push(...page.data.listEntries.nodes);
          if (!page.data.listEntries.hasNextPage) return all;
          after = page.data.listEntries.endCursor;
        }
      };
      const publicNodes = await nodes(PUBLIC);
      const unmaskedPerson = (text: string) =>
        (text.match(/\d{17}[\dX]/g) ?? []).some((id) => {
          const checked = validateSubjectCode(id);
          return checked.valid && checked.kind === 'NATURAL_PERSON';
        });
      // Nor through the entry's subject, whose code is the person's number (found by a review of the running graph).
      expect(publicNodes.filter((n) => unmaskedPerson(n.code) || unmaskedPerson(n.sourceRecord) || unmaskedPerson(n.subject?.code ?? ''))).toEqual([]);
      expect(publicNodes.find((n) => n.code === maskResidentId(person))?.subject).toBeNull();
      expect(publicNodes.map((n) => n.code)).toContain(maskResidentId(person));
      const departmentNodes = await nodes(COURTS());
      expect(departmentNodes.map((n) => n.code)).toContain(person);
      expect(departmentNodes.find((n) => n.code === person)?.subject).toEqual({ code: person });
    });

    it('marks a disputed record, then withdraws the revoked one from every public view, showing it to records roles as revoked', async () => {
      const code = graph.seeded.examples.dishonestDebtor;
      const recordId = await courtRecordOf(code);
      const PROFILE = `query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId dispute { since verifyBy } } } lists { sourceRecord until dispute { verifyBy } } } }`;
      const RECORDS_PROFILE = `query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId withdrawal { reason reference } } } lists { sourceRecord withdrawal { reason reference } } } }`;
      const filed = await gql(FILE, { input: { subjectCode: code, department: 'COURTS', recordId, reason: '已履行', idempotencyKey: key() } }, COURTS());
      expect(filed.errors).toBeUndefined();
      const disputed = (await gql(PROFILE, { c: code }, PUBLIC)).data.subject;
      expect(disputed.courts.dishonestDebtors.find((r: any) => r.recordId === recordId).dispute).toEqual({ since: today, verifyBy: filed.data.fileObjection.verifyBy });
      expect(disputed.lists.filter((e: any) => e.sourceRecord === recordId).every((e: any) => e.dispute?.verifyBy === filed.data.fileObjection.verifyBy)).toBe(true);

      expect((await gql(VERIFY, { id: filed.data.fileObjection.id, outcome: 'UPHELD', correction: 'REVOKED' }, COURTS())).data.verifyObjection.status).toBe('UPHELD');
      const after = (await gql(PROFILE, { c: code }, PUBLIC)).data.subject;
      expect(after.courts.dishonestDebtors.map((r: any) => r.recordId)).not.toContain(recordId);
      expect(after.lists.map((e: any) => e.sourceRecord)).not.toContain(recordId);
      const page = await gql('{ listEntries(kind: BLACK, first: 100) { nodes { sourceRecord } } }', {}, PUBLIC);
      expect(page.data.listEntries.nodes.map((n: any) => n.sourceRecord)).not.toContain(recordId);
      // The court (records) still sees the record and its entries, as revoked with the objection.
      const seen = (await gql(RECORDS_PROFILE, { c: code }, COURTS())).data.subject;
      const reference = `objection/${filed.data.fileObjection.id}`;
      expect(seen.courts.dishonestDebtors.find((r: any) => r.recordId === recordId).withdrawal).toEqual({ reason: 'REVOKED', reference });
      expect(seen.lists.filter((e: any) => e.sourceRecord === recordId).map((e: any) => e.withdrawal)).toContainEqual({ reason: 'REVOKED', reference });
      const check = (await gql(CHECK, { code, scenario: 'PUBLIC_RESOURCE_TRADING' }, graph.as('APPROVAL_SYSTEM', 'x'))).data.creditCheck;
      expect(check.measures.flatMap((m: any) => m.triggers.map((t: any) => t.recordId))).not.toContain(recordId);
    });

    it('ends a repaired penalty\'s publication at once and publishes the repair notice', async () => {
      const { body } = await graph.graphql('query($codes: [ID!]!) { subjects(codes: $codes) { code market { penalties { recordId area serious publishedOn publicationEndsOn } } } }',
        { codes: [graph.seeded.examples.clean, graph.seeded.examples.redList, graph.seeded.examples.abnormalOperations, graph.seeded.examples.formerlyListed, graph.seeded.examples.seriousViolation, graph.seeded.examples.environmentalBlack, graph.seeded.examples.majorTaxViolation] }, clerk('MARKET'));
      const fourMonthsAgo = new Date(Date.now() - 122 * 86_400_000).toISOString().slice(0, 10);
      const candidates = body.data.subjects.flatMap((s: any) => s.market.penalties
        .filter((p: any) => !['SPECIAL_EQUIPMENT', 'WORK_SAFETY', 'FIRE_SAFETY'].includes(p.area) && p.publishedOn && p.publishedOn < fourMonthsAgo && p.publicationEndsOn > today)
        .map((p: any) => ({ code: s.code, ...p })));
      if (candidates.length === 0) {
        // The seed's showcase subjects carry no repairable penalty: look further.
        const more = (await graph.graphql('query($codes: [ID!]!) { subjects(codes: $codes) { code market { penalties { recordId area publishedOn publicationEndsOn } } } }',
          { codes: (await db.query('SELECT DISTINCT subject_code FROM market.administrative_penalty LIMIT 400')).rows.map((r) => r.subject_code) }, clerk('MARKET'))).body;
        candidates.push(...more.data.subjects.flatMap((s: any) => s.market.penalties
          .filter((p: any) => !['SPECIAL_EQUIPMENT', 'WORK_SAFETY', 'FIRE_SAFETY'].includes(p.area) && p.publishedOn && p.publishedOn < fourMonthsAgo && p.publicationEndsOn > today)
          .map((p: any) => ({ code: s.code, ...p }))));
      }
      expect(candidates.length).toBeGreaterThan(0);
      const penalty = candidates[0];
      const PENALTIES = 'query($c: ID!) { subject(code: $c) { market { penalties { recordId withdrawal { reason } } } repairNotices { recordId repairedOn rectification publishedUntil } } }';
      expect((await gql(PENALTIES, { c: penalty.code }, PUBLIC)).data.subject.market.penalties.map((p: any) => p.recordId)).toContain(penalty.recordId);
      const applied = await gql(APPLY, { input: { subjectCode: penalty.code, department: 'MARKET', recordId: penalty.recordId, rectification: ['COMMITMENT', 'RECTIFICATION'], idempotencyKey: key() } }, clerk('MARKET'));
      expect(applied.errors).toBeUndefined();
      expect(applied.data.applyForRepair).toEqual(expect.objectContaining({ status: 'PENDING', area: penalty.area, publishedOn: penalty.publishedOn }));
      // The court cannot decide the market's repair; the market does.
      expect(refusal(await gql(DECIDE, { id: applied.data.applyForRepair.id, approve: true }, COURTS())).reason).toBe('OTHER_DEPARTMENT');
      expect((await gql(DECIDE, { id: applied.data.applyForRepair.id, approve: true }, clerk('MARKET'))).data.decideRepair.status).toBe('APPROVED');

      const seen = (await gql(PENALTIES, { c: penalty.code }, PUBLIC)).data.subject;
      expect(seen.market.penalties.map((p: any) => p.recordId)).not.toContain(penalty.recordId);
      expect(seen.repairNotices).toContainEqual(expect.objectContaining({ recordId: penalty.recordId, repairedOn: today, rectification: ['COMMITMENT', 'RECTIFICATION'] }));
      const notices = await gql('{ repairNotices(first: 100) { nodes { subjectCode department recordId repairedOn } } }', {}, PUBLIC);
      expect(notices.data.repairNotices.nodes).toContainEqual({ subjectCode: penalty.code, department: 'MARKET', recordId: penalty.recordId, repairedOn: today });
      const market = (await gql(PENALTIES.replace('withdrawal { reason }', 'withdrawal { reason } publicationEndsOn'), { c: penalty.code }, clerk('MARKET'))).data.subject.market.penalties;
      // Its publication ended today, not at the end of the period it was published for (found by a black-box review).
      expect(market.find((p: any) => p.recordId === penalty.recordId)).toEqual(expect.objectContaining({ withdrawal: { reason: 'REPAIRED' }, publicationEndsOn: today }));
    });

    it('lets a subject file its own objection with the code the credit office issued, and follow it', async () => {
      const code = graph.seeded.examples.seriousViolation;
      const body = await gql('query($c: ID!) { subject(code: $c) { market { seriousViolations { recordId removedOn } } } }', { c: code }, clerk('MARKET'));
      const recordId = body.data.subject.market.seriousViolations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const issued = await gql('mutation($i: IssueFilingCodeInput!) { issueFilingCode(input: $i) { code } }', { i: { subjectCode: code, purpose: 'OBJECTION', contact: '0755-1234' } }, OFFICE());
      expect(refusal(await gql('mutation($i: IssueFilingCodeInput!) { issueFilingCode(input: $i) { code } }', { i: { subjectCode: code, purpose: 'OBJECTION', contact: 'x' } }, PUBLIC)).code).toBe('FORBIDDEN');
      const filingCode = issued.data.issueFilingCode.code;
      const OWN = 'mutation($i: FileOwnObjectionInput!) { fileOwnObjection(input: $i) { id status verifyBy } }';
      const own = { filingCode, subjectCode: code, department: 'MARKET', recordId, reason: '已整改', idempotencyKey: 'mine-1' };
      expect(refusal(await gql(OWN, { i: { ...own, subjectCode: graph.seeded.examples.clean } }, PUBLIC)).code).toBe('FORBIDDEN');
      const filed = await gql(OWN, { i: own }, PUBLIC);
      expect(filed.errors).toBeUndefined();
      expect(filed.data.fileOwnObjection.status).toBe('OPEN');
      const followed = await gql('query($id: ID!, $c: String!) { filing(id: $id, filingCode: $c) { status verifyBy } }', { id: filed.data.fileOwnObjection.id, c: filingCode }, PUBLIC);
      expect(followed.data.filing).toEqual({ status: 'OPEN', verifyBy: filed.data.fileOwnObjection.verifyBy });
      const marked = await gql('query($c: ID!) { subject(code: $c) { market { seriousViolations { recordId dispute { verifyBy } } } } }', { c: code }, PUBLIC);
      expect(marked.data.subject.market.seriousViolations.find((r: any) => r.recordId === recordId).dispute).toEqual({ verifyBy: filed.data.fileOwnObjection.verifyBy });
    });
  });

  it('property: no sequence of a department client\'s workflow mutations changes the verdict of a subject it holds nothing of, unless the credit office decides', async () => {
    const code = graph.seeded.examples.majorTaxViolation;
    const courts = (await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId } consumptionRestrictions { recordId } } tax { majorViolations { recordId removedOn } } } }', { c: code }, OFFICE())).data.subject;
    expect(courts.courts).toEqual({ dishonestDebtors: [], consumptionRestrictions: [] });
    const taxRecord = courts.tax.majorViolations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId as string;
    // The tax authority's own open objection and a commitment made to it: what a court clerk might try to act on.
    const objection = (await gql(FILE, { input: { subjectCode: code, department: 'TAX', recordId: taxRecord, reason: '核对', idempotencyKey: key() } }, clerk('TAX'))).data.fileObjection.id;
    const commitment = (await gql(COMMIT, { input: { subjectCode: code, scenario: 'PUBLIC_RESOURCE_TRADING', content: '如实申报', idempotencyKey: key() } }, clerk('TAX'))).data.recordCommitment.id;
    const baseline = await verdict(code);
    // While the tax authority verifies, the major tax violation's bars are suspended.
    expect(baseline).not.toBe('PROHIBITED');

    const department = fc.constantFrom('TAX', 'COURTS', 'MARKET', 'CREDIT_OFFICE');
    const op = fc.oneof(
      fc.record({ outcome: fc.constantFrom('UPHELD', 'REJECTED') }).map((a) => [VERIFY, { id: objection, outcome: a.outcome, correction: a.outcome === 'UPHELD' ? 'REVOKED' : null }] as const),
      department.map((d) => [FILE, { input: { subjectCode: code, department: d, recordId: taxRecord, reason: 'x', idempotencyKey: key() } }] as const),
      department.map((d) => [APPLY, { input: { subjectCode: code, department: d, recordId: taxRecord, rectification: ['COMMITMENT'], idempotencyKey: key() } }] as const),
      fc.tuple(department, fc.constantFrom('BLACK', 'KEY_ATTENTION', 'RED')).map(([d, kind]) => [PUBLISH, { input: { code, kind, department: d, sourceRecord: taxRecord, reason: 'x', since: today } }] as const),
      department.map((d) => [END, { input: { kind: 'BLACK', department: d, sourceRecord: taxRecord, until: today } }] as const),
      department.map((d) => [BREACH, { id: commitment, department: d }] as const),
      department.map((d) => [COMMIT, { input: { subjectCode: code, scenario: 'PUBLIC_RESOURCE_TRADING', content: 'x', department: d, idempotencyKey: key() } }] as const),
      department.map((d) => [OPEN_CASE, { input: { subjectCode: code, initiatingDepartment: d, trigger: 'MAJOR_TAX_VIOLATION', recordId: taxRecord, idempotencyKey: key() } }] as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 5 }), async (ops) => {
        for (const [query, variables] of ops) {
          // The court's clerk also holds a commitment of its own it might breach: recording one is refused (it holds nothing of the subject).
          await gql(query, variables, COURTS());
        }
        expect(await verdict(code)).toBe(baseline);
      }),
      { numRuns: 12 },
    );
    expect(await count(`SELECT count(*)::int AS n FROM credit.objection WHERE subject_code = $1 AND client_id <> ''`, [code])).toBe(1);
    // The credit office itself decides: the verdict follows.
    await gql(VERIFY, { id: objection, outcome: 'REJECTED' }, OFFICE());
    expect(await verdict(code)).toBe('PROHIBITED');
  }, 120_000);
});
