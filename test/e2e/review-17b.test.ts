/**
 * The second black-box review of issue 17, through the gateway of the whole graph: what the next
 * person sees after each action the review found wrong — orders and joint cases that outlived the
 * record they stood on, an overdue rectification nobody could object to, backdated orders and
 * rectifications, unbounded deadlines, contradictory feedback, reads of other departments' cases.
 */
import type { Client } from 'pg';
import { type TestGraph } from '../helpers/graph';
import { refusalOf, startDepartmentGraph, type DepartmentGraph } from '../helpers/department-graph';
import type { Database } from '../../lib/db';
import { todayInChina } from '../../lib/clock';
import { runScheduledJobs } from '../../subgraphs/credit/jobs';
import { addDays } from '../../subgraphs/credit/policy';

describe('issue 17 second review findings, through the gateway', () => {
  let graph: TestGraph;
  let db: Client;
  let credit: Database;
  let marketKey = '';
  let taxKey = '';
  const today = todayInChina();

  let started: DepartmentGraph | undefined;

  beforeAll(async () => {
    // No scheduled job in the background: the suite runs it when the calendar says so (runScheduledJobs on the graph's database).
    started = await startDepartmentGraph(['MARKET', 'TAX'], { subjects: 200, env: { SCHEDULED_JOBS_INTERVAL_MS: '0' } });
    ({ graph, db, credit } = started);
    marketKey = started.keys.MARKET!;
    taxKey = started.keys.TAX!;
  }, 300_000);
  afterAll(() => started?.close());

  const OFFICE = (purpose = 'credit office') => graph.as('CREDIT_OFFICE', purpose);
  const COURTS = (purpose = 'court clerk') => graph.as('DEPARTMENT', purpose);
  const MARKET = () => ({ 'x-api-key': marketKey, 'x-purpose': 'market clerk' });
  const TAX = () => ({ 'x-api-key': taxKey, 'x-purpose': 'tax clerk' });
  const APPROVAL = (purpose = 'licence application') => graph.as('APPROVAL_SYSTEM', purpose);
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  const refusal = refusalOf;
  let serial = 0;
  const key = () => `review-17b-${++serial}-${Date.now()}-padding`;
  const ORDER = 'mutation($input: OrderRectificationInput!) { orderRectification(input: $input) { id } }';
  const ORDER_READ = 'query($id: ID!) { rectificationOrder(id: $id) { status overdue rectifiedOn withdrawnOn withdrawalReference } }';
  const INTERVIEW = 'mutation($input: RecordInterviewInput!) { recordInterview(input: $input) { id } }';
  const COMPLETE = 'mutation($id: ID!, $on: String) { completeRectification(id: $id, note: "已整改", rectifiedOn: $on) { status rectifiedOn } }';
  const FILE = 'mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id } }';
  const VERIFY = 'mutation($id: ID!) { verifyObjection(id: $id, outcome: UPHELD, note: "撤销", correction: REVOKED) { status } }';
  const CHECK = 'query($code: ID!, $scenario: Scenario!) { creditCheck(code: $code, scenario: $scenario) { verdict measures { code triggers { trigger recordId suspended } } } }';
  const LISTS = 'query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord since until } } }';

  /** Subjects with an abnormal-operations entry in force, each with its record (the market's key-attention determination). */
  let abnormal: { code: string; recordId: string }[] = [];
  const nextAbnormal = async () => {
    if (abnormal.length === 0) {
      const { rows } = await db.query(
        `SELECT subject_code AS code, source_record AS "recordId" FROM credit.list_entry
          WHERE kind = 'KEY_ATTENTION' AND department = 'MARKET' AND source_record LIKE 'abnormal_operations_entry/%' AND until IS NULL AND length(subject_code) = 18
            AND substr(subject_code, 1, 1) = '9' ORDER BY id`,
      );
      abnormal = rows;
    }
    const next = abnormal.shift();
    if (!next) throw new Error('the seed has no more subjects under abnormal operations');
    return next;
  };
  /** An order made today, then the calendar moves on past its deadline (as the database would have it three days after). */
  const overdueOrder = async (subject: { code: string; recordId: string }) => {
    const made = await gql(ORDER, { input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, requirement: '补报年度报告', deadline: today, idempotencyKey: key() } }, MARKET());
    expect(made.errors).toBeUndefined();
    const id = made.data.orderRectification.id as string;
    await db.query('UPDATE credit.rectification_order SET ordered_on = $2::date, deadline = $3::date WHERE id = $1::bigint', [id, addDays(today, -20), addDays(today, -3)]);
    return id;
  };
  const orderEntry = async (code: string, id: string) =>
    ((await gql(LISTS, { c: code }, OFFICE())).data.subject.lists as { sourceRecord: string; since: string; until: string | null }[]).find((e) => e.sourceRecord === `rectification_order/${id}`);
  const triggersOf = async (code: string) =>
    ((await gql(CHECK, { code, scenario: 'REGULATORY_INSPECTION' }, APPROVAL())).data.creditCheck.measures as { triggers: { trigger: string; recordId: string; suspended: boolean }[] }[]).flatMap((m) => m.triggers);

  describe('H2: orders end with the record they stand on, and an overdue order is objectable', () => {
    it('withdraws an open overdue order and ends its key-attention entry when its record is revoked; nothing more is accepted on it', async () => {
      const subject = await nextAbnormal();
      const id = await overdueOrder(subject);
      await runScheduledJobs(credit, today);
      expect((await orderEntry(subject.code, id))?.until).toBeNull();
      const filed = await gql(FILE, { input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, reason: '已补报，异常名录有误', idempotencyKey: key() } }, MARKET());
      expect(filed.errors).toBeUndefined();
      expect((await gql(VERIFY, { id: filed.data.fileObjection.id }, MARKET())).errors).toBeUndefined();
      const reference = `objection/${filed.data.fileObjection.id}`;
      expect((await gql(ORDER_READ, { id }, OFFICE())).data.rectificationOrder).toEqual({ status: 'WITHDRAWN', overdue: false, rectifiedOn: null, withdrawnOn: today, withdrawalReference: reference });
      // The key-attention entry ended today, withdrawn from the public lists with the record; the check applies nothing of it.
      const ended = await orderEntry(subject.code, id);
      expect(ended === undefined || ended.until === today).toBe(true);
      const publicLists = (await gql(LISTS, { c: subject.code }, {})).data.subject.lists as { sourceRecord: string }[];
      expect(publicLists.map((e) => e.sourceRecord)).not.toContain(`rectification_order/${id}`);
      expect((await triggersOf(subject.code)).map((t) => t.trigger)).not.toContain('RECTIFICATION_OVERDUE');
      // Neither an interview nor a completion is taken on it, and the job lists nothing again.
      const interview = { rectificationOrderId: id, kind: 'WARNING', heldOn: today, participants: ['市场监管局 李科长'], content: '告知后果', outcome: '承诺整改' };
      expect(refusal(await gql(INTERVIEW, { input: { ...interview, idempotencyKey: key() } }, MARKET()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_WITHDRAWN', reference }));
      expect(refusal(await gql(COMPLETE, { id }, MARKET())).reason).toBe('RECORD_WITHDRAWN');
      await runScheduledJobs(credit, addDays(today, 1));
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM credit.list_entry WHERE source_record = $1 AND (until IS NULL OR until > $2::date)`, [`rectification_order/${id}`, today]);
      expect(rows[0].n).toBe(0);
    });

    it('withdraws the order of a repaired record too', async () => {
      const subject = await nextAbnormal();
      const id = await overdueOrder(subject);
      // A repair approved (as the workflow records it) ends the record's publication and what stands on it.
      const applied = await gql('mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id status } }', {
        input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, rectification: ['RECTIFICATION', 'COMMITMENT'], idempotencyKey: key() },
      }, MARKET());
      expect(applied.errors).toBeUndefined();
      const decided = await gql('mutation($id: ID!) { decideRepair(id: $id, approve: true, note: "准予修复") { status } }', { id: applied.data.applyForRepair.id }, MARKET());
      expect(decided.errors).toBeUndefined();
      expect((await gql(ORDER_READ, { id }, OFFICE())).data.rectificationOrder).toEqual(
        expect.objectContaining({ status: 'WITHDRAWN', withdrawalReference: `repair/${applied.data.applyForRepair.id}` }),
      );
      await runScheduledJobs(credit, today);
      expect((await orderEntry(subject.code, id))?.until ?? today).toBe(today);
    });

    it('takes an objection to an overdue order\'s entry (CREDIT_OFFICE, rectification_order/<id>): suspended meanwhile, withdrawn when upheld', async () => {
      const subject = await nextAbnormal();
      const id = await overdueOrder(subject);
      await runScheduledJobs(credit, today);
      const filed = await gql(FILE, { input: { subjectCode: subject.code, department: 'CREDIT_OFFICE', recordId: `rectification_order/${id}`, reason: '已按期整改，逾期认定有误', idempotencyKey: key() } }, OFFICE());
      expect(filed.errors).toBeUndefined();
      const disputed = (await triggersOf(subject.code)).filter((t) => t.trigger === 'RECTIFICATION_OVERDUE');
      expect(disputed.length).toBeGreaterThan(0);
      expect(disputed.every((t) => t.suspended && t.recordId === `rectification_order/${id}`)).toBe(true);
      // Another subject's order is not this subject's record.
      expect(refusal(await gql(FILE, { input: { subjectCode: graph.seeded.examples.clean, department: 'CREDIT_OFFICE', recordId: `rectification_order/${id}`, reason: 'x', idempotencyKey: key() } }, OFFICE())).reason).toBe(
        'RECORD_OF_ANOTHER_SUBJECT',
      );
      expect((await gql(VERIFY, { id: filed.data.fileObjection.id }, OFFICE())).errors).toBeUndefined();
      expect((await gql(ORDER_READ, { id }, OFFICE())).data.rectificationOrder.status).toBe('WITHDRAWN');
      expect((await triggersOf(subject.code)).map((t) => t.trigger)).not.toContain('RECTIFICATION_OVERDUE');
    });

    it('does not list an overdue order while its record is disputed', async () => {
      const subject = await nextAbnormal();
      const id = await overdueOrder(subject);
      const filed = await gql(FILE, { input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, reason: '异常名录有误', idempotencyKey: key() } }, MARKET());
      expect(filed.errors).toBeUndefined();
      expect(await runScheduledJobs(credit, today)).not.toContain(subject.code);
      expect(await orderEntry(subject.code, id)).toBeUndefined();
      expect((await triggersOf(subject.code)).map((t) => t.trigger)).not.toContain('RECTIFICATION_OVERDUE');
    });
  });

  describe('M1 and L2: no backdated orders, listings, rectifications or commitments', () => {
    it('refuses an order dated weeks back or with a deadline passed, and lists an overdue order from the day the job runs', async () => {
      const subject = await nextAbnormal();
      const order = { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, requirement: '补报年度报告' };
      expect(refusal(await gql(ORDER, { input: { ...order, orderedOn: addDays(today, -62), deadline: addDays(today, -48), idempotencyKey: key() } }, MARKET()))).toEqual(
        expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'SINCE_TOO_EARLY', field: 'orderedOn' }),
      );
      expect(refusal(await gql(ORDER, { input: { ...order, orderedOn: addDays(today, -3), deadline: addDays(today, -1), idempotencyKey: key() } }, MARKET()))).toEqual(
        expect.objectContaining({ reason: 'DEADLINE_PASSED', field: 'deadline' }),
      );
      await runScheduledJobs(credit, today);
      expect(((await gql(LISTS, { c: subject.code }, OFFICE())).data.subject.lists as { sourceRecord: string }[]).filter((e) => e.sourceRecord.startsWith('rectification_order/'))).toEqual([]);
      // Yesterday's order is recorded as of yesterday; overdue (the calendar moved on), it is listed from today, not from the day after its deadline.
      const id = await overdueOrder(subject);
      await runScheduledJobs(credit, today);
      expect(await orderEntry(subject.code, id)).toEqual(expect.objectContaining({ since: today, until: null }));
    });

    it('refuses a rectification dated before the interview or the published entry, and ends the entry today', async () => {
      const subject = await nextAbnormal();
      const id = await overdueOrder(subject);
      await runScheduledJobs(credit, today);
      const interview = { rectificationOrderId: id, kind: 'REMINDER', heldOn: addDays(today, -1), participants: ['市场监管局 李科长'], content: '提醒整改', outcome: '尚未整改' };
      expect((await gql(INTERVIEW, { input: { ...interview, idempotencyKey: key() } }, MARKET())).errors).toBeUndefined();
      expect(refusal(await gql(COMPLETE, { id, on: addDays(today, -2) }, MARKET()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'rectifiedOn' }));
      expect(refusal(await gql(COMPLETE, { id, on: addDays(today, -2) }, MARKET())).message).toMatch(/interview/);
      // The entry was published today: a rectification yesterday would rewrite what the list said.
      expect(refusal(await gql(COMPLETE, { id, on: addDays(today, -1) }, MARKET())).message).toMatch(/published/);
      expect((await gql(ORDER_READ, { id }, OFFICE())).data.rectificationOrder).toEqual(expect.objectContaining({ status: 'ORDERED', overdue: true }));
      expect((await gql(COMPLETE, { id, on: today }, MARKET())).data.completeRectification).toEqual({ status: 'RECTIFIED', rectifiedOn: today });
      expect(await orderEntry(subject.code, id)).toEqual(expect.objectContaining({ since: today, until: today }));
    });

    it('refuses a commitment without a check dated 1900, or with a deadline passed', async () => {
      const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }';
      const input = { department: 'COURTS', subjectCode: graph.seeded.examples.dishonestDebtor, scenario: 'ADMINISTRATIVE_LICENSING', content: '如实履行', application: 'R17B-1' };
      expect(refusal(await gql(COMMIT, { input: { ...input, madeOn: '1900-01-01', deadline: '1900-02-01', idempotencyKey: key() } }, OFFICE()))).toEqual(
        expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'SINCE_TOO_EARLY', field: 'madeOn' }),
      );
      expect(refusal(await gql(COMMIT, { input: { ...input, deadline: addDays(today, -1), idempotencyKey: key() } }, OFFICE())).reason).toBe('DEADLINE_BEFORE_START');
      expect(refusal(await gql(COMMIT, { input: { ...input, madeOn: addDays(today, -3), deadline: addDays(today, -1), idempotencyKey: key() } }, OFFICE())).reason).toBe('DEADLINE_PASSED');
      const published = (await gql('{ commitmentPublicity(first: 100) { nodes { application } } }', {}, {})).data.commitmentPublicity.nodes as { application: string | null }[];
      expect(published.map((n) => n.application)).not.toContain('R17B-1');
    });
  });

  describe('M2 and M3: joint cases follow their record, and their deadlines are bounded', () => {
    const CASE = 'id status withdrawnOn withdrawalReference disputed overdue assignments { department measureCodes status overdue late }';
    const OPEN = `mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { ${CASE} } }`;
    const READ = `query($id: ID!) { jointCase(id: $id) { ${CASE} } }`;
    const SUBMIT = 'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }';
    const INBOX = 'query($a: JointCaseAssignee, $s: JointCaseAssignmentStatus) { jointCases(assignedTo: $a, status: $s, first: 100) { nodes { id status } } }';
    const STATS = 'query($f: String!, $t: String!) { implementationStatistics(from: $f, to: $t) { byDepartment { department measuresReceived measuresLate measuresDue } } }';
    const stats = async (department: string) =>
      (await gql(STATS, { f: today, t: today }, OFFICE())).data.implementationStatistics.byDepartment.find((row: { department: string }) => row.department === department);
    /** A case on a subject's abnormal-operations record, and the part of it pushed to the market (认定部门) or the credit office, with who reports for it. */
    const openCase = async (subject: { code: string; recordId: string }) => {
      const opened = await gql(OPEN, { input: { subjectCode: subject.code, initiatingDepartment: 'MARKET', trigger: 'ABNORMAL_OPERATIONS', recordId: subject.recordId, idempotencyKey: key() } }, MARKET());
      expect(opened.errors).toBeUndefined();
      const jointCase = opened.data.openJointCase;
      const part = jointCase.assignments.find((a: { department: string }) => a.department === 'MARKET' || a.department === 'CREDIT_OFFICE');
      expect(part).toBeDefined();
      return { jointCase, part, reporter: part.department === 'MARKET' ? MARKET() : OFFICE() };
    };

    it('refuses APPLIED feedback while the record is disputed and counts its deadline late only once the objection is rejected', async () => {
      const subject = await nextAbnormal();
      const { jointCase, part, reporter } = await openCase(subject);
      const filed = await gql(FILE, { input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, reason: '异常名录有误', idempotencyKey: key() } }, MARKET());
      expect(filed.errors).toBeUndefined();
      const feedback = { jointCaseId: jointCase.id, measureCode: part.measureCodes[0], department: part.department, action: 'APPLIED' };
      expect(refusal(await gql(SUBMIT, { input: { ...feedback, idempotencyKey: key() } }, reporter))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_DISPUTED' }));
      // The deadline passes while the department verifies: suspended, not late.
      await db.query('UPDATE credit.joint_case_assignment SET deadline = $2::date WHERE joint_case_id = $1::bigint', [jointCase.id, addDays(today, -1)]);
      const lateBefore = (await stats(part.department)).measuresLate;
      const disputed = (await gql(READ, { id: jointCase.id }, OFFICE())).data.jointCase;
      expect(disputed).toEqual(expect.objectContaining({ status: 'OPEN', disputed: true, overdue: false }));
      expect(disputed.assignments.every((a: { overdue: boolean; late: boolean }) => !a.overdue && !a.late)).toBe(true);
      // Rejected: the record stands, and the deadline counts again.
      expect((await gql('mutation($id: ID!) { verifyObjection(id: $id, outcome: REJECTED, note: "记录无误") { status } }', { id: filed.data.fileObjection.id }, MARKET())).errors).toBeUndefined();
      const resumed = (await gql(READ, { id: jointCase.id }, OFFICE())).data.jointCase;
      expect(resumed).toEqual(expect.objectContaining({ disputed: false, overdue: true }));
      expect((await stats(part.department)).measuresLate).toBe(lateBefore + part.measureCodes.length);
      expect((await gql(SUBMIT, { input: { ...feedback, idempotencyKey: key() } }, reporter)).errors).toBeUndefined();
    });

    it('closes a case whose record is revoked: WITHDRAWN in the inbox, no feedback, not counted', async () => {
      const subject = await nextAbnormal();
      const { jointCase, part, reporter } = await openCase(subject);
      const received = (await stats(part.department)).measuresReceived;
      const filed = await gql(FILE, { input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, reason: '异常名录有误', idempotencyKey: key() } }, MARKET());
      expect((await gql(VERIFY, { id: filed.data.fileObjection.id }, MARKET())).errors).toBeUndefined();
      const closed = (await gql(READ, { id: jointCase.id }, OFFICE())).data.jointCase;
      expect(closed).toEqual(expect.objectContaining({ status: 'WITHDRAWN', withdrawnOn: today, withdrawalReference: `objection/${filed.data.fileObjection.id}`, overdue: false, disputed: false }));
      expect(closed.assignments.every((a: { status: string; late: boolean }) => a.status === 'WITHDRAWN' && !a.late)).toBe(true);
      const inbox = async (status: string) => ((await gql(INBOX, { a: part.department, s: status }, OFFICE())).data.jointCases.nodes as { id: string }[]).map((n) => n.id);
      expect(await inbox('AWAITING_FEEDBACK')).not.toContain(jointCase.id);
      expect(await inbox('WITHDRAWN')).toContain(jointCase.id);
      const feedback = { jointCaseId: jointCase.id, measureCode: part.measureCodes[0], department: part.department, action: 'APPLIED', idempotencyKey: key() };
      expect(refusal(await gql(SUBMIT, { input: feedback }, reporter)).reason).toBe('RECORD_WITHDRAWN');
      expect((await stats(part.department)).measuresReceived).toBe(received - part.measureCodes.length);
    });

    it('refuses a feedback deadline of 9999-12-31 or in the past', async () => {
      const subject = await nextAbnormal();
      const input = { subjectCode: subject.code, initiatingDepartment: 'MARKET', trigger: 'ABNORMAL_OPERATIONS', recordId: subject.recordId };
      const far = refusal(await gql(OPEN, { input: { ...input, deadlines: [{ department: 'MARKET', deadline: '9999-12-31' }], idempotencyKey: key() } }, MARKET()));
      expect(far).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'deadlines', reason: 'DEADLINE_TOO_FAR' }));
      expect(refusal(await gql(OPEN, { input: { ...input, deadlines: [{ department: 'MARKET', deadline: addDays(today, -1) }], idempotencyKey: key() } }, MARKET())).field).toBe('deadlines');
      const { rows } = await db.query('SELECT count(*)::int AS n FROM credit.joint_case WHERE record_id = $1', [subject.recordId]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('L1: a check backs a commitment of its own scenario only', () => {
    it('refuses a licensing check\'s 容缺受理 for a trading commitment, and stores nothing', async () => {
      const code = graph.seeded.examples.redList;
      const check = (await gql('query($code: ID!, $scenario: Scenario!) { creditCheck(code: $code, scenario: $scenario) { checkId } }', { code, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck;
      const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }';
      const input = { department: 'MARKET', subjectCode: code, scenario: 'PUBLIC_RESOURCE_TRADING', content: '补齐材料', application: 'R17B-L1', checkId: check.checkId, deadline: addDays(today, 10), idempotencyKey: key() };
      expect(refusal(await gql(COMMIT, { input }, OFFICE()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_MISMATCH', field: 'checkId' }));
      const { rows } = await db.query('SELECT count(*)::int AS n FROM credit.credit_commitment WHERE check_id = $1::uuid', [check.checkId]);
      expect(rows[0].n).toBe(0);
      // The same check backs a licensing commitment.
      expect((await gql(COMMIT, { input: { ...input, scenario: 'ADMINISTRATIVE_LICENSING', idempotencyKey: key() } }, OFFICE())).errors).toBeUndefined();
    });
  });
});
