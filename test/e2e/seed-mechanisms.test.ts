/**
 * The seeds' remaining mechanisms (issue 17) through the gateway of the whole graph (every service a
 * real process, real PostgreSQL, Redis for the caches), each as the roles that use it, asserting what
 * the next person in the chain sees: the implementing department's inbox and queue, the subject's
 * record, the reporter's receipt, the published inspection results, the month's notice, the public
 * commitment and black list after the scheduled job, and the late publications on the holiday calendar.
 */
import { Client } from 'pg';
import { eventually } from '../helpers/eventually';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { openDatabase } from '../../lib/db';
import { createClient } from '../../subgraphs/credit/clients';
import { todayInChina } from '../../lib/clock';
import { addDays, gradeOf, publicationDeadline, workingDaysLate, type ListKind } from '../../subgraphs/credit/policy';

const REDIS_URL = 'redis://127.0.0.1:6379/5';
type Clerk = 'MARKET' | 'TAX' | 'ENVIRONMENT';

describe('the seeds\' remaining mechanisms, through the gateway (issue 17)', () => {
  let graph: TestGraph;
  let db: Client;
  const keys: Record<Clerk, string> = { MARKET: '', TAX: '', ENVIRONMENT: '' };
  const today = todayInChina();

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 300, env: { REDIS_URL, SCHEDULED_JOBS_INTERVAL_MS: '300' } });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    const credit = await openDatabase({ schema: 'credit', url: graph.databaseUrl });
    try {
      for (const department of ['MARKET', 'TAX', 'ENVIRONMENT'] as const) {
        keys[department] = (await createClient(credit, { name: `${department} clerk`, role: 'DEPARTMENT', department })).apiKey;
      }
    } finally {
      await credit.close();
    }
  }, 300_000);
  afterAll(async () => {
    await db?.end();
    await graph?.close();
  });

  const PUBLIC = {};
  const COURTS = () => graph.as('DEPARTMENT', 'court clerk');
  const OFFICE = () => graph.as('CREDIT_OFFICE', 'credit office');
  const APPROVAL = () => graph.as('APPROVAL_SYSTEM', 'licence application');
  const clerk = (department: Clerk) => ({ 'x-api-key': keys[department], 'x-purpose': `${department} clerk` });
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  const refusal = (body: { errors?: any[] }) => ({ ...body.errors?.[0]?.extensions, message: body.errors?.[0]?.message });
  let serial = 0;
  const key = () => `e2e-17-${++serial}-${Date.now()}-padding`;
  const queue = async (headers: Record<string, string>) =>
    (await gql('{ departmentNotifications(first: 100) { id kind reference message } }', {}, headers)).data.departmentNotifications as { kind: string; reference: string }[];
  const CHECK = 'query($code: ID!, $scenario: Scenario!) { creditCheck(code: $code, scenario: $scenario) { checkId verdict measures { code triggers { trigger recordId } } } }';

  describe('joint cases: initiate → push → respond → feedback (甘州 二(二), 五(一); 柴桑 (十四), (十七))', () => {
    const CASE_FIELDS = 'id measureCodes overdue assignments { department measureCodes deadline status overdue fedBackMeasureCodes late }';
    const OPEN = `mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { ${CASE_FIELDS} } }`;
    const INBOX = 'query($a: JointCaseAssignee, $s: JointCaseAssignmentStatus, $o: Boolean) { jointCases(assignedTo: $a, status: $s, overdue: $o, first: 100) { nodes { id } } }';
    const SUBMIT = 'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }';
    let caseId = '';
    let caseRow: any;

    it('opens a case with the catalogue\'s measures, pushes each to its implementing departments with a deadline, and refuses bogus measures', async () => {
      const code = graph.seeded.examples.dishonestDebtor;
      const courts = await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code }, COURTS());
      const recordId = courts.data.subject.courts.dishonestDebtors.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const input = { subjectCode: code, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR', recordId };
      expect(refusal(await gql(OPEN, { input: { ...input, measureCodes: ['P_DOES_NOT_EXIST'], idempotencyKey: key() } }, COURTS()))).toEqual(
        expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'MEASURE_NOT_APPLIED' }),
      );
      // The market's clerk cannot open a case on the court's determination.
      expect(refusal(await gql(OPEN, { input: { ...input, idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('OTHER_DEPARTMENT');
      // Without measureCodes a case takes every measure the catalogue applies for the trigger.
      // (On another determination: one case per record.)
      const person = graph.seeded.examples.dishonestPerson;
      const personal = await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: person }, COURTS());
      const personRecord = personal.data.subject.courts.dishonestDebtors.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const everything = await gql(OPEN, { input: { ...input, subjectCode: person, recordId: personRecord, idempotencyKey: key() } }, COURTS());
      expect(everything.data.openJointCase.measureCodes).toEqual(expect.arrayContaining(['P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', 'P_FOCUSED_SUPERVISION', 'P_NO_SENIOR_POST', 'P_PUBLIC_DISCLOSURE']));
      const measureCodes = ['P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', 'P_NO_NEW_PROJECT_APPROVAL', 'P_NO_SENIOR_POST', 'P_PUBLIC_DISCLOSURE'];
      const opened = await gql(OPEN, { input: { ...input, measureCodes, deadlines: [{ department: 'ENVIRONMENT', deadline: addDays(today, 3) }], idempotencyKey: key() } }, COURTS());
      expect(opened.errors).toBeUndefined();
      caseRow = opened.data.openJointCase;
      caseId = caseRow.id;
      // A second case on the same determination is refused: its measures were pushed once, and count once.
      expect(refusal(await gql(OPEN, { input: { ...input, measureCodes, idempotencyKey: key() } }, COURTS()))).toEqual(expect.objectContaining({ reason: 'ALREADY_OPEN', jointCaseId: caseId }));
      expect(caseRow.measureCodes).toEqual([...measureCodes].sort());
      const byDepartment = Object.fromEntries(caseRow.assignments.map((a: any) => [a.department, a]));
      // 市场监管（登记机关） bars the senior posts, 生态环境 new project approval, 认定部门 (the court) and 信用办 disclose;
      // the credit office relays what no department of the graph implements (财政、发展改革: public-resource trading).
      expect(Object.keys(byDepartment).sort()).toEqual(['COURTS', 'CREDIT_OFFICE', 'ENVIRONMENT', 'MARKET']);
      expect(byDepartment.MARKET.measureCodes).toEqual(['P_NO_SENIOR_POST']);
      expect(byDepartment.ENVIRONMENT).toEqual(expect.objectContaining({ measureCodes: ['P_NO_NEW_PROJECT_APPROVAL'], deadline: addDays(today, 3) }));
      expect(byDepartment.COURTS.measureCodes).toEqual(['P_PUBLIC_DISCLOSURE']);
      expect(byDepartment.CREDIT_OFFICE.measureCodes).toEqual(['P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', 'P_PUBLIC_DISCLOSURE']);
      // A deadline for a department the case does not go to is refused.
      expect(refusal(await gql(OPEN, { input: { ...input, measureCodes, deadlines: [{ department: 'TAX', deadline: addDays(today, 3) }], idempotencyKey: key() } }, COURTS())).field).toBe('deadlines');
      for (const a of caseRow.assignments) expect(a).toEqual(expect.objectContaining({ status: 'AWAITING_FEEDBACK', overdue: false, fedBackMeasureCodes: [] }));
    });

    it('puts the case in each implementing department\'s inbox and queue, and nowhere else', async () => {
      const inbox = await gql(INBOX, { a: 'MY_DEPARTMENT', s: 'AWAITING_FEEDBACK' }, clerk('MARKET'));
      expect(inbox.errors).toBeUndefined();
      expect(inbox.data.jointCases.nodes).toContainEqual({ id: caseId });
      expect((await queue(clerk('MARKET'))).map((n) => [n.kind, n.reference])).toContainEqual(['JOINT_CASE_ASSIGNED', `joint_case/${caseId}`]);
      expect((await queue(clerk('ENVIRONMENT'))).map((n) => n.reference)).toContain(`joint_case/${caseId}`);
      // The tax authority implements none of them: neither inbox nor queue.
      expect((await gql(INBOX, {}, clerk('TAX'))).data.jointCases.nodes).not.toContainEqual({ id: caseId });
      expect((await queue(clerk('TAX'))).map((n) => n.reference)).not.toContain(`joint_case/${caseId}`);
      // Another department's inbox and queue are the credit office's to read, not a clerk's.
      expect(refusal(await gql(INBOX, { a: 'MARKET' }, clerk('TAX')))).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
      expect(refusal(await gql('{ departmentNotifications(department: MARKET) { id } }', {}, clerk('TAX'))).reason).toBe('OTHER_DEPARTMENT');
      expect((await gql(INBOX, { a: 'MARKET' }, OFFICE())).data.jointCases.nodes).toContainEqual({ id: caseId });
      expect(refusal(await gql(INBOX, {}, PUBLIC)).code).toBe('FORBIDDEN');
    });

    it('takes feedback only on the case\'s measures pushed to the caller, plain or aliased', async () => {
      const base = { jointCaseId: caseId, department: '市市场监管局', action: 'APPLIED' };
      expect(refusal(await gql(SUBMIT, { input: { ...base, measureCode: 'P_DOES_NOT_EXIST', idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('MEASURE_NOT_APPLIED');
      // A measure of the case pushed to someone else.
      expect(refusal(await gql(SUBMIT, { input: { ...base, measureCode: 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', idempotencyKey: key() } }, clerk('MARKET')))).toEqual(
        expect.objectContaining({ code: 'FORBIDDEN', reason: 'NOT_ALLOWED' }),
      );
      const aliased = await gql(
        `mutation($a: SubmitFeedbackInput!, $b: SubmitFeedbackInput!) { a: submitFeedback(input: $a) { id } b: submitFeedback(input: $b) { ...F } } fragment F on Feedback { id }`,
        { a: { ...base, measureCode: 'P_PUBLIC_DISCLOSURE', idempotencyKey: key() }, b: { ...base, measureCode: 'P_NO_SENIOR_POST', idempotencyKey: key() } },
        clerk('MARKET'),
      );
      expect(aliased.errors?.[0]?.extensions?.reason).toBe('NOT_ALLOWED');
      const own = caseRow.assignments.find((a: any) => a.department === 'MARKET').measureCodes as string[];
      for (const measureCode of own) expect((await gql(SUBMIT, { input: { ...base, measureCode, idempotencyKey: key() } }, clerk('MARKET'))).errors).toBeUndefined();
      const seen = (await gql(`query($id: ID!) { jointCase(id: $id) { ${CASE_FIELDS} } }`, { id: caseId }, OFFICE())).data.jointCase;
      expect(seen.assignments.find((a: any) => a.department === 'MARKET')).toEqual(expect.objectContaining({ status: 'FED_BACK', fedBackMeasureCodes: [...own].sort(), late: false }));
      expect((await gql(INBOX, { s: 'FED_BACK' }, clerk('MARKET'))).data.jointCases.nodes).toContainEqual({ id: caseId });
      expect((await gql(INBOX, { s: 'AWAITING_FEEDBACK' }, clerk('MARKET'))).data.jointCases.nodes).not.toContainEqual({ id: caseId });
    });

    it('shows overdue feedback in the inbox, counts it per implementing department, and names the laggard in the month\'s notice (甘州 五(六), 六; 柴桑 (二十二))', async () => {
      // The environment authority's deadline passes without feedback (the calendar moved on: its deadline set to yesterday).
      await db.query(`UPDATE credit.joint_case_assignment SET deadline = $2::date WHERE joint_case_id = $1::bigint AND department = 'ENVIRONMENT'`, [caseId, addDays(today, -1)]);
      expect((await gql(INBOX, { o: true }, clerk('ENVIRONMENT'))).data.jointCases.nodes).toContainEqual({ id: caseId });
      expect((await gql(INBOX, { o: true }, clerk('MARKET'))).data.jointCases.nodes).not.toContainEqual({ id: caseId });
      const seen = (await gql(`query($id: ID!) { jointCase(id: $id) { overdue assignments { department overdue late } } }`, { id: caseId }, OFFICE())).data.jointCase;
      expect(seen.overdue).toBe(true);
      expect(seen.assignments.find((a: any) => a.department === 'ENVIRONMENT')).toEqual({ department: 'ENVIRONMENT', overdue: true, late: true });
      const FIELDS = 'department measuresReceived measuresApplied measuresFedBack measuresOnTime measuresLate measuresAwaiting measuresDue onTimeRate';
      const stats = (await gql(`query($f: String!, $t: String!) { implementationStatistics(from: $f, to: $t) { byDepartment { ${FIELDS} } } }`, { f: today, t: today }, OFFICE())).data.implementationStatistics.byDepartment;
      const of = (department: string) => stats.find((row: any) => row.department === department);
      const marketCount = caseRow.assignments.find((a: any) => a.department === 'MARKET').measureCodes.length;
      // (The case opened with every measure above is counted too: the market fed back on this one's only.)
      expect(of('MARKET')).toEqual(expect.objectContaining({ measuresApplied: marketCount, measuresFedBack: marketCount, measuresOnTime: marketCount, measuresLate: 0, onTimeRate: 1 }));
      expect(of('ENVIRONMENT')).toEqual(expect.objectContaining({ measuresFedBack: 0, measuresLate: 1, measuresDue: 1, onTimeRate: 0 }));
      // The courts' measures are not due yet: neither on time nor late, and not named.
      expect(of('COURTS')).toEqual(expect.objectContaining({ measuresDue: 0, onTimeRate: null }));
      const notice = (await gql('query($m: String!) { implementationNotice(month: $m, threshold: 0.9) { month threshold departments { department onTimeRate } } }', { m: today.slice(0, 7) }, OFFICE())).data.implementationNotice;
      expect(notice.departments.map((d: any) => d.department)).toContain('ENVIRONMENT');
      expect(notice.departments.map((d: any) => d.department)).not.toContain('MARKET');
      expect(notice.departments.map((d: any) => d.department)).not.toContain('COURTS');
      // A department reads its statistics (statistics scope); the public does not.
      expect(refusal(await gql('query($m: String!) { implementationNotice(month: $m) { month } }', { m: today.slice(0, 7) }, PUBLIC)).code).toBe('FORBIDDEN');
      expect(refusal(await gql('{ implementationNotice(month: "2026-13") { month } }', {}, OFFICE())).reason).toBe('MONTH');
    });
  });

  describe('rectification within a deadline and interviews (凌源 三(五): 谁认定、谁约谈)', () => {
    const ORDER = 'mutation($input: OrderRectificationInput!) { orderRectification(input: $input) { id status overdue deadline } }';
    const INTERVIEW = 'mutation($input: RecordInterviewInput!) { recordInterview(input: $input) { id kind heldOn } }';
    const RECORD = 'query($c: ID!) { subject(code: $c) { rectificationOrders { id status overdue interviews { kind heldOn participants content outcome } } interviews { kind } } }';
    let code = '';
    let orderId = '';

    it('orders rectification of the market\'s own record only, and an overdue order puts the subject under key attention (the scheduled job)', async () => {
      code = graph.seeded.examples.abnormalOperations;
      const market = await gql('query($c: ID!) { subject(code: $c) { market { abnormalOperations { recordId removedOn } } } }', { c: code }, clerk('MARKET'));
      const recordId = market.data.subject.market.abnormalOperations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const input = { subjectCode: code, department: 'MARKET', recordId, requirement: '补报年度报告并公示', deadline: today };
      expect(refusal(await gql(ORDER, { input: { ...input, idempotencyKey: key() } }, clerk('TAX'))).reason).toBe('OTHER_DEPARTMENT');
      expect(refusal(await gql(ORDER, { input: { ...input, recordId: 'abnormal_operations_entry/none', idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('RECORD_NOT_FOUND');
      expect(refusal(await gql(ORDER, { input: { ...input, subjectCode: graph.seeded.examples.clean, idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('RECORD_OF_ANOTHER_SUBJECT');
      const ordered = await gql(ORDER, { input: { ...input, idempotencyKey: key() } }, clerk('MARKET'));
      expect(ordered.errors).toBeUndefined();
      orderId = ordered.data.orderRectification.id;
      expect(ordered.data.orderRectification).toEqual({ id: orderId, status: 'ORDERED', overdue: false, deadline: today });
      // The calendar moves on past the deadline (an order is recorded when it is made, never backdated).
      await db.query('UPDATE credit.rectification_order SET ordered_on = $2::date, deadline = $3::date WHERE id = $1::bigint', [orderId, addDays(today, -30), addDays(today, -10)]);
      // The job lists it: the public sees the key-attention entry, the market its notice, a check the trigger.
      const sourceRecord = `rectification_order/${orderId}`;
      const entry = await eventually(async () => {
        const lists = (await gql('query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord since until } } }', { c: code }, PUBLIC)).data.subject.lists;
        return lists.find((e: any) => e.sourceRecord === sourceRecord);
      }, 'the overdue rectification on the key-attention list');
      expect(entry).toEqual({ kind: 'KEY_ATTENTION', department: 'CREDIT_OFFICE', sourceRecord, since: today, until: null });
      expect((await queue(clerk('MARKET'))).map((n) => [n.kind, n.reference])).toContainEqual(['RECTIFICATION_OVERDUE', sourceRecord]);
      const check = (await gql(CHECK, { code, scenario: 'REGULATORY_INSPECTION' }, APPROVAL())).data.creditCheck;
      expect(check.measures.flatMap((m: any) => m.triggers)).toContainEqual({ trigger: 'RECTIFICATION_OVERDUE', recordId: sourceRecord });
    });

    it('records a warning interview after the deadline by the ordering department only, and shows both in the subject\'s record for records roles', async () => {
      const input = { rectificationOrderId: orderId, kind: 'WARNING', participants: ['市场监管局 张科长', '企业法定代表人'], content: '告知逾期未整改的后果', outcome: '承诺五日内补报' };
      expect(refusal(await gql(INTERVIEW, { input: { ...input, heldOn: addDays(today, -20), idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('INVALID_TRANSITION');
      expect(refusal(await gql(INTERVIEW, { input: { ...input, heldOn: addDays(today, -5), idempotencyKey: key() } }, clerk('TAX'))).reason).toBe('OTHER_DEPARTMENT');
      expect(refusal(await gql(INTERVIEW, { input: { ...input, rectificationOrderId: '999999999', heldOn: addDays(today, -5), idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('NOT_FOUND');
      const held = await gql(INTERVIEW, { input: { ...input, heldOn: addDays(today, -5), idempotencyKey: key() } }, clerk('MARKET'));
      expect(held.errors).toBeUndefined();
      const record = (await gql(RECORD, { c: code }, APPROVAL())).data.subject;
      expect(record.rectificationOrders).toEqual([
        { id: orderId, status: 'ORDERED', overdue: true, interviews: [{ kind: 'WARNING', heldOn: addDays(today, -5), participants: input.participants, content: input.content, outcome: input.outcome }] },
      ]);
      expect(record.interviews).toEqual([{ kind: 'WARNING' }]);
      const publicView = await gql(RECORD, { c: code }, PUBLIC);
      expect(publicView.data.subject.rectificationOrders).toBeNull();
      expect(publicView.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('ends the key attention once the market confirms the rectification, and the check follows', async () => {
      const done = await gql('mutation($id: ID!) { completeRectification(id: $id, note: "已补报并公示") { status overdue rectifiedOn } }', { id: orderId }, clerk('MARKET'));
      expect(done.data.completeRectification).toEqual({ status: 'RECTIFIED', overdue: false, rectifiedOn: today });
      expect(refusal(await gql('mutation($id: ID!) { completeRectification(id: $id, note: "again") { status } }', { id: orderId }, clerk('MARKET'))).reason).toBe('INVALID_TRANSITION');
      const lists = (await gql('query($c: ID!) { subject(code: $c) { lists { sourceRecord until } } }', { c: code }, PUBLIC)).data.subject.lists;
      expect(lists.filter((e: any) => e.sourceRecord === `rectification_order/${orderId}`).every((e: any) => e.until !== null && e.until <= today)).toBe(true);
      const check = (await gql(CHECK, { code, scenario: 'REGULATORY_INSPECTION' }, APPROVAL())).data.creditCheck;
      expect(check.measures.flatMap((m: any) => m.triggers).map((t: any) => t.trigger)).not.toContain('RECTIFICATION_OVERDUE');
    });
  });

  describe('reports from the public (甘州 四(五); 柴桑 (十二))', () => {
    const SUBMIT = 'mutation($input: SubmitReportInput!) { submitReport(input: $input) { receiptCode status } }';
    const FOLLOW = 'query($r: String!) { reportByReceipt(receiptCode: $r) { subjectCode status department result resultNote closedAt } }';
    const LIST = 'query($a: JointCaseAssignee) { publicReports(assignedTo: $a, first: 100) { nodes { id subjectCode status department } } }';

    it('takes a report with a receipt, keeps the reporter\'s contact for the credit office alone, routes it, and the reporter follows it to its result', async () => {
      const code = graph.seeded.examples.dishonestDebtor;
      const input = { subjectCode: code, conduct: '转移财产逃避执行', department: 'COURTS', contact: { name: '王某', phone: '13800000000' }, idempotencyKey: `report-${Date.now()}-0123456789abcdef` };
      expect(refusal(await gql(SUBMIT, { input: { ...input, idempotencyKey: 'short' } }, PUBLIC)).field).toBe('idempotencyKey');
      const receipt = (await gql(SUBMIT, { input }, PUBLIC)).data.submitReport;
      expect(receipt.status).toBe('RECEIVED');
      expect(receipt.receiptCode).toMatch(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
      // A retry answers the same receipt; the same key with another report is refused.
      expect((await gql(SUBMIT, { input }, PUBLIC)).data.submitReport.receiptCode).toBe(receipt.receiptCode);
      expect(refusal(await gql(SUBMIT, { input: { ...input, conduct: '别的' } }, PUBLIC)).reason).toBe('IDEMPOTENCY_CONFLICT');
      expect((await gql(FOLLOW, { r: receipt.receiptCode.toLowerCase() }, PUBLIC)).data.reportByReceipt).toEqual({ subjectCode: code, status: 'RECEIVED', department: null, result: null, resultNote: null, closedAt: null });
      expect((await gql(FOLLOW, { r: 'AAAA-BBBB-CCCC-DDDD' }, PUBLIC)).data.reportByReceipt).toBeNull();

      const all = (await gql(LIST, {}, OFFICE())).data.publicReports.nodes;
      const report = all.find((r: any) => r.subjectCode === code && r.status === 'RECEIVED');
      expect((await gql('query { publicReports(first: 100) { nodes { id contact { name phone } } } }', {}, OFFICE())).data.publicReports.nodes.find((r: any) => r.id === report.id).contact).toEqual({ name: '王某', phone: '13800000000' });
      // Not routed yet: the court has nothing; only the credit office routes.
      expect((await gql(LIST, { a: 'MY_DEPARTMENT' }, COURTS())).data.publicReports.nodes.map((r: any) => r.id)).not.toContain(report.id);
      expect(refusal(await gql('mutation($id: ID!) { routeReport(id: $id, department: COURTS) { status } }', { id: report.id }, COURTS())).reason).toBe('NOT_ALLOWED');
      expect((await gql('mutation($id: ID!) { routeReport(id: $id, department: COURTS, note: "法院核查") { status department } }', { id: report.id }, OFFICE())).data.routeReport).toEqual({ status: 'ROUTED', department: 'COURTS' });
      expect((await queue(COURTS())).map((n) => [n.kind, n.reference])).toContainEqual(['REPORT_ROUTED', `report/${report.id}`]);
      expect((await gql(LIST, { a: 'MY_DEPARTMENT' }, COURTS())).data.publicReports.nodes.map((r: any) => r.id)).toContain(report.id);
      // The court handles it without learning who reported: the contact is refused to it, plain and through a fragment.
      const asCourt = await gql('query { publicReports(first: 100) { nodes { id ...C } } } fragment C on PublicReport { contact { name phone } }', {}, COURTS());
      expect(asCourt.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(asCourt.data ?? {})).not.toContain('13800000000');
      expect(refusal(await gql(LIST, { a: 'COURTS' }, clerk('MARKET'))).reason).toBe('OTHER_DEPARTMENT');
      expect(refusal(await gql('mutation($id: ID!) { closeReport(id: $id, result: NOT_SUBSTANTIATED, note: "x") { status } }', { id: report.id }, clerk('MARKET'))).reason).toBe('OTHER_DEPARTMENT');
      expect((await gql('mutation($id: ID!) { closeReport(id: $id, result: SUBSTANTIATED, note: "查证属实，已依法处理") { status } }', { id: report.id }, COURTS())).data.closeReport.status).toBe('CLOSED');
      expect((await gql(FOLLOW, { r: receipt.receiptCode }, PUBLIC)).data.reportByReceipt).toEqual(
        expect.objectContaining({ status: 'CLOSED', department: 'COURTS', result: 'SUBSTANTIATED', resultNote: '查证属实，已依法处理' }),
      );
      // The public cannot list reports, nor read a contact.
      expect(refusal(await gql(LIST, {}, PUBLIC)).code).toBe('FORBIDDEN');
    });
  });

  describe('supervision by ratio, results published (凌源 二(二); 甘州 三(四); 双随机、一公开)', () => {
    let population: string[] = [];
    beforeAll(async () => {
      population = (await db.query('SELECT subject_code FROM market.registration ORDER BY subject_code LIMIT 150')).rows.map((r) => r.subject_code);
    });

    it('takes each grade\'s ratio of its population, reproducibly, with the ratios the credit office sets', async () => {
      const SAMPLE = 'query($p: [ID!]!, $s: String!) { spotCheckSample(population: $p, seed: $s) { size selected { code grade } byGrade { grade population selected samplingRate } } }';
      const first = (await gql(SAMPLE, { p: population, s: '2026-Q4' }, OFFICE())).data.spotCheckSample;
      for (const g of first.byGrade) expect(g.selected).toBe(Math.min(g.population, Math.ceil(g.population * g.samplingRate - 1e-9)));
      expect(first.byGrade.map((g: any) => g.samplingRate)).toEqual([0.02, 0.05, 0.15, 0.3]);
      expect((await gql(SAMPLE, { p: [...population].reverse(), s: '2026-Q4' }, OFFICE())).data.spotCheckSample.selected).toEqual(first.selected);
      // Ratios: the credit office's data; refused when a worse grade would be sampled less, and to a department.
      const SET = 'mutation($r: [GradeSamplingRatioInput!]!) { setSamplingRatios(ratios: $r) { grade ratio } }';
      const ratios = (a: number, b: number, c: number, d: number) => [{ grade: 'A', ratio: a }, { grade: 'B', ratio: b }, { grade: 'C', ratio: c }, { grade: 'D', ratio: d }];
      expect(refusal(await gql(SET, { r: ratios(0.1, 0.05, 0.15, 0.3) }, OFFICE())).reason).toBe('RATIOS');
      expect(refusal(await gql(SET, { r: ratios(0.02, 0.1, 0.2, 0.5) }, clerk('MARKET'))).code).toBe('FORBIDDEN');
      expect((await gql(SET, { r: ratios(0.02, 0.1, 0.2, 0.5) }, OFFICE())).errors).toBeUndefined();
      expect((await gql('{ samplingRatios { grade ratio } }', {}, PUBLIC)).data.samplingRatios).toEqual([{ grade: 'A', ratio: 0.02 }, { grade: 'B', ratio: 0.1 }, { grade: 'C', ratio: 0.2 }, { grade: 'D', ratio: 0.5 }]);
      const after = (await gql(SAMPLE, { p: population, s: '2026-Q4' }, OFFICE())).data.spotCheckSample;
      const b = after.byGrade.find((g: any) => g.grade === 'B');
      expect(b.selected).toBe(Math.ceil(b.population * 0.1 - 1e-9));
      await gql(SET, { r: ratios(0.02, 0.05, 0.15, 0.3) }, OFFICE());
    });

    it('records results against the market\'s drawn plan only, and publishes them', async () => {
      const drawn = await gql('mutation($input: DrawSpotCheckPlanInput!) { drawSpotCheckPlan(input: $input) { id department selected { code } ratios { grade ratio } } }', {
        input: { name: '2026年第四季度双随机抽查', population, seed: 'plan-17', idempotencyKey: key() },
      }, clerk('MARKET'));
      expect(drawn.errors).toBeUndefined();
      const plan = drawn.data.drawSpotCheckPlan;
      expect(plan.department).toBe('MARKET');
      const drawnCode = plan.selected[0].code as string;
      const notDrawn = population.find((c) => !plan.selected.some((s: any) => s.code === c))!;
      const RECORD = 'mutation($input: RecordInspectionResultInput!) { recordInspectionResult(input: $input) { id outcome } }';
      const input = { planId: plan.id, subjectCode: drawnCode, outcome: 'ISSUES_FOUND', findings: '未按规定公示年度报告', inspectedOn: today };
      expect(refusal(await gql(RECORD, { input }, clerk('TAX'))).reason).toBe('OTHER_DEPARTMENT');
      expect(refusal(await gql(RECORD, { input: { ...input, subjectCode: notDrawn } }, clerk('MARKET'))).reason).toBe('NOT_IN_SAMPLE');
      expect(refusal(await gql(RECORD, { input: { ...input, inspectedOn: addDays(today, 1) } }, clerk('MARKET'))).field).toBe('inspectedOn');
      expect((await gql(RECORD, { input }, clerk('MARKET'))).errors).toBeUndefined();
      expect((await gql(RECORD, { input }, clerk('MARKET'))).errors).toBeUndefined(); // a retry answers the same result
      expect(refusal(await gql(RECORD, { input: { ...input, outcome: 'COMPLIANT' } }, clerk('MARKET'))).reason).toBe('INVALID_TRANSITION');
      const published = (await gql('{ inspectionResults(department: MARKET, first: 100) { nodes { planId subjectCode outcome findings inspectedOn } } }', {}, PUBLIC)).data.inspectionResults.nodes;
      expect(published).toContainEqual({ planId: plan.id, subjectCode: drawnCode, outcome: 'ISSUES_FOUND', findings: '未按规定公示年度报告', inspectedOn: today });
      expect((await gql('query($c: ID!) { subject(code: $c) { inspectionResults { planId outcome } } }', { c: drawnCode }, PUBLIC)).data.subject.inspectionResults).toEqual([{ planId: plan.id, outcome: 'ISSUES_FOUND' }]);
    });

    it('does not lower the grade for a record under objection while the department verifies', async () => {
      const code = graph.seeded.examples.majorTaxViolation;
      const GRADE = 'query($c: ID!) { subject(code: $c) { creditGrade lists { kind department sourceRecord since until } tax { majorViolations { recordId removedOn } } } }';
      const before = (await gql(GRADE, { c: code }, clerk('TAX'))).data.subject;
      expect(before.creditGrade).toBe('D');
      const recordId = before.tax.majorViolations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const filed = await gql('mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id } }', {
        input: { subjectCode: code, department: 'TAX', recordId, reason: '案件已撤销', idempotencyKey: key() },
      }, clerk('TAX'));
      expect(filed.errors).toBeUndefined();
      const after = (await gql(GRADE, { c: code }, clerk('TAX'))).data.subject;
      const inForce = after.lists.filter((e: any) => e.since <= today && (e.until === null || e.until > today) && e.sourceRecord !== recordId);
      // The grade is what the other entries in force make it: the disputed major-violation entry counts for nothing meanwhile.
      expect(after.creditGrade).toBe(gradeOf(inForce.map((e: { kind: ListKind }) => e.kind)));
      expect(after.lists.some((e: any) => e.sourceRecord === recordId && e.kind === 'BLACK')).toBe(true);
      if (inForce.every((e: any) => e.kind !== 'BLACK')) expect(after.creditGrade).not.toBe('D');
    });
  });

  describe('credit commitments with deadlines, 容缺受理 and public notice (凌源 一(一), 二(一))', () => {
    const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id status deadline application checkId obtainedMissingDocuments } }';
    const PUBLICITY = '{ commitmentPublicity(first: 100) { nodes { id subjectCode application content deadline madeTo status breachedOn } } }';
    // The calendar moves on: made 20 days ago, its deadline two days ago (a commitment is recorded on the day of its check at the earliest).
    // Checks of the red-list subject taken before the first test breaches its commitment (a black-listed subject gets no 容缺受理).
    const spare: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) spare.push((await gql(CHECK, { code: graph.seeded.examples.redList, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck.checkId);
    });
    const passDeadline = (id: string) => db.query('UPDATE credit.credit_commitment SET made_on = $2::date, deadline = $3::date WHERE id = $1::bigint', [id, addDays(today, -20), addDays(today, -2)]);

    it('links a commitment to the check that granted 容缺受理, breaches it after its deadline by the scheduled job, and publishes both', async () => {
      const code = graph.seeded.examples.redList;
      const check = (await gql(CHECK, { code, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck;
      expect(check.measures.map((m: any) => m.code)).toContain('I_ACCEPT_WITH_MISSING_DOCUMENTS');
      const other = (await gql(CHECK, { code: graph.seeded.examples.dishonestDebtor, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck;
      // Made today, on the day of the check it backs (never before it); the calendar moves on below.
      const input = { subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '30日内补齐消防验收材料', application: '深市监许申〔2026〕88号', deadline: today };
      expect(refusal(await gql(COMMIT, { input: { ...input, checkId: other.checkId, idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('RECORD_MISMATCH');
      expect(refusal(await gql(COMMIT, { input: { ...input, deadline: null, checkId: check.checkId, idempotencyKey: key() } }, clerk('MARKET'))).field).toBe('deadline');
      expect(refusal(await gql(COMMIT, { input: { ...input, checkId: '00000000-0000-4000-8000-000000000000', idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('NOT_FOUND');
      const recorded = await gql(COMMIT, { input: { ...input, checkId: check.checkId, idempotencyKey: key() } }, clerk('MARKET'));
      expect(recorded.errors).toBeUndefined();
      const id = recorded.data.recordCommitment.id;
      expect(recorded.data.recordCommitment).toEqual(expect.objectContaining({ application: input.application, checkId: check.checkId, obtainedMissingDocuments: true }));
      await passDeadline(id);
      // The job breaches it: the day after the deadline, black-listed, the market told, the public shown.
      const sourceRecord = `credit_commitment/${id}`;
      const entry = await eventually(async () => {
        const lists = (await gql('query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord since } } }', { c: code }, PUBLIC)).data.subject.lists;
        return lists.find((e: any) => e.sourceRecord === sourceRecord);
      }, 'the breached commitment on the black list');
      expect(entry).toEqual({ kind: 'BLACK', department: 'CREDIT_OFFICE', sourceRecord, since: addDays(today, -1) });
      const commitment = (await gql('query($id: ID!) { commitment(id: $id) { status breachedOn breachAutomatic breachReportedBy } }', { id }, clerk('MARKET'))).data.commitment;
      expect(commitment).toEqual({ status: 'BREACHED', breachedOn: addDays(today, -1), breachAutomatic: true, breachReportedBy: 'MARKET' });
      expect((await queue(clerk('MARKET'))).map((n) => [n.kind, n.reference])).toContainEqual(['COMMITMENT_BREACHED', sourceRecord]);
      const published = (await gql(PUBLICITY, {}, PUBLIC)).data.commitmentPublicity.nodes.find((c: any) => c.id === id);
      expect(published).toEqual({ id, subjectCode: code, application: input.application, content: input.content, deadline: addDays(today, -2), madeTo: 'MARKET', status: 'BREACHED', breachedOn: addDays(today, -1) });
      expect((await gql(CHECK, { code, scenario: 'PUBLIC_RESOURCE_TRADING' }, APPROVAL())).data.creditCheck.verdict).toBe('PROHIBITED');
    });

    it('never breaches a fulfilled commitment, nor one that obtained no 容缺受理', async () => {
      const redList = graph.seeded.examples.redList;
      const check = (await gql(CHECK, { code: redList, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck;
      // A check's 容缺受理 backs one commitment: the first test's check is spent, each commitment here has its own.
      const granted = (await db.query(`SELECT check_id::text AS id FROM credit.credit_commitment WHERE subject_code = $1 AND check_id IS NOT NULL LIMIT 1`, [redList])).rows[0].id as string;
      expect(check.checkId).toBeDefined();
      const base = { scenario: 'ADMINISTRATIVE_LICENSING', content: '如实申报', application: 'A-1' };
      expect(refusal(await gql(COMMIT, { input: { ...base, subjectCode: redList, deadline: today, checkId: granted, idempotencyKey: key() } }, clerk('MARKET'))).reason).toBe('CHECK_ALREADY_USED');
      // No 容缺受理: its deadline passes, and nothing happens.
      const plain = (await gql(COMMIT, { input: { ...base, subjectCode: graph.seeded.examples.clean, deadline: today, idempotencyKey: key() } }, clerk('MARKET'))).data.recordCommitment;
      expect(plain.obtainedMissingDocuments).toBe(false);
      await passDeadline(plain.id);
      // 容缺受理, fulfilled before its deadline; then the deadline passes.
      const kept = (await gql(COMMIT, { input: { ...base, subjectCode: redList, deadline: today, checkId: spare[0], idempotencyKey: key() } }, clerk('MARKET'))).data.recordCommitment;
      expect(refusal(await gql('mutation($id: ID!) { fulfilCommitment(id: $id, note: "x") { status } }', { id: kept.id }, clerk('TAX'))).reason).toBe('OTHER_DEPARTMENT');
      const fulfilled = await gql('mutation($id: ID!) { fulfilCommitment(id: $id, note: "材料已补齐") { status fulfilledOn } }', { id: kept.id }, clerk('MARKET'));
      expect(fulfilled.data.fulfilCommitment).toEqual({ status: 'FULFILLED', fulfilledOn: today });
      // Made 20 days ago, fulfilled three days ago, its deadline two days ago: fulfilled in time.
      await db.query('UPDATE credit.credit_commitment SET made_on = $2::date, deadline = $3::date, fulfilled_on = $4::date WHERE id = $1::bigint', [kept.id, addDays(today, -20), addDays(today, -2), addDays(today, -3)]);
      expect(refusal(await gql('mutation($id: ID!) { reportCommitmentBreach(id: $id, department: MARKET, note: "x") { status } }', { id: kept.id }, clerk('MARKET'))).reason).toBe('INVALID_TRANSITION');
      // A third, overdue with 容缺受理, recorded after both: once the job has breached it, it has seen the other two.
      const sentinel = (await gql(COMMIT, { input: { ...base, subjectCode: redList, deadline: today, checkId: spare[1], idempotencyKey: key() } }, clerk('MARKET'))).data.recordCommitment;
      await passDeadline(sentinel.id);
      await eventually(async () => (await gql('query($id: ID!) { commitment(id: $id) { status } }', { id: sentinel.id }, clerk('MARKET'))).data.commitment.status === 'BREACHED', 'the job to breach the third');
      const status = async (id: string) => (await gql('query($id: ID!) { commitment(id: $id) { status } }', { id }, clerk('MARKET'))).data.commitment.status;
      expect(await status(plain.id)).toBe('KEPT');
      expect(await status(kept.id)).toBe('FULFILLED');
    });
  });

  describe('double publicity: the late list on the State Council calendar (甘州 二(三); 柴桑 (十六))', () => {
    it('lists each late decision with its authority and working days late, agreeing with the timeliness counts', async () => {
      const from = addDays(today, -365 * 3);
      const all: any[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await gql('query($f: String!, $t: String!, $a: String) { marketLatePublications(kind: PENALTY, from: $f, to: $t, first: 100, after: $a) { nodes { decisionNumber authority decidedOn deadline publishedOn workingDaysLate } endCursor hasNextPage } }', { f: from, t: today, a: after }, OFFICE());
        expect(page.errors).toBeUndefined();
        all.push(...page.data.marketLatePublications.nodes);
        if (!page.data.marketLatePublications.hasNextPage) break;
        after = page.data.marketLatePublications.endCursor;
      }
      for (const node of all) {
        expect(node.deadline).toBe(publicationDeadline(node.decidedOn));
        expect(node.workingDaysLate).toBe(workingDaysLate(node.decidedOn, node.publishedOn ?? today));
        expect(node.workingDaysLate).toBeGreaterThan(0);
        expect(node.authority).not.toBe('');
      }
      const counts = (await gql('query($f: String!, $t: String!) { marketPublicationTimeliness(from: $f, to: $t) { penalties { publishedLate unpublishedOverdue } } }', { f: from, t: today }, OFFICE())).data.marketPublicationTimeliness.penalties;
      expect(all.filter((n) => n.publishedOn !== null)).toHaveLength(counts.publishedLate);
      expect(all.filter((n) => n.publishedOn === null)).toHaveLength(counts.unpublishedOverdue);
      expect(refusal(await gql('query($f: String!, $t: String!) { marketLatePublications(kind: PENALTY, from: $f, to: $t) { nodes { decisionNumber } } }', { f: from, t: today }, PUBLIC)).code).toBe('FORBIDDEN');
    });
  });
});
