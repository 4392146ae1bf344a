/**
 * The black-box review of issue 17, through the gateway of the whole graph: what the next person sees
 * after each action the review found wrong — a role without `personal` reading a person's order,
 * commitment or free text, and the subject's access log naming the read; measures refused on records
 * that are disputed, revoked or ended (and the verdict unchanged); dates that would backdate a
 * listing; a commitment fulfilled after its deadline; a department's queue paged past id 9.
 */
import type { Client } from 'pg';
import { eventually } from '../helpers/eventually';
import { type TestGraph } from '../helpers/graph';
import { refusalOf, startDepartmentGraph, type DepartmentGraph } from '../helpers/department-graph';
import type { Database } from '../../lib/db';
import { todayInChina } from '../../lib/clock';
import { buildResidentId, maskResidentId } from '../../lib/identifiers';
import { runScheduledJobs } from '../../subgraphs/credit/jobs';
import { addDays } from '../../subgraphs/credit/policy';

describe('issue 17 review findings, through the gateway', () => {
  let graph: TestGraph;
  let db: Client;
  let credit: Database;
  let marketKey = '';
  const today = todayInChina();

  let started: DepartmentGraph | undefined;

  beforeAll(async () => {
    // No scheduled job in the background: the suite runs it when the calendar says so (runScheduledJobs on the graph's database).
    started = await startDepartmentGraph(['MARKET'], { subjects: 200, env: { SCHEDULED_JOBS_INTERVAL_MS: '0' } });
    ({ graph, db, credit } = started);
    marketKey = started.keys.MARKET!;
  }, 300_000);
  afterAll(() => started?.close());

  const COURTS = (purpose = 'court clerk') => graph.as('DEPARTMENT', purpose);
  const OFFICE = (purpose = 'credit office') => graph.as('CREDIT_OFFICE', purpose);
  const MARKET = () => ({ 'x-api-key': marketKey, 'x-purpose': 'market clerk' });
  const APPROVAL = (purpose = 'licence application') => graph.as('APPROVAL_SYSTEM', purpose);
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  const refusal = refusalOf;
  let serial = 0;
  const key = () => `review-17-${++serial}-${Date.now()}-padding`;
  const ORDER = 'mutation($input: OrderRectificationInput!) { orderRectification(input: $input) { id } }';
  const OPEN = 'mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { id } }';
  const CHECK = 'query($code: ID!, $scenario: Scenario!) { creditCheck(code: $code, scenario: $scenario) { checkId verdict } }';
  const debtorRecord = async (code: string) =>
    (await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code }, COURTS())).data.subject.courts.dishonestDebtors.find(
      (r: { removedOn: string | null }) => r.removedOn === null,
    ).recordId as string;
  /** Whether the subject's access log shows a request with this purpose (the audit entry named the subject). */
  const logged = (code: string, purpose: string) =>
    eventually(async () => {
      const log = await gql('query($c: ID!) { subject(code: $c) { accessLog(first: 50) { nodes { purpose } } } }', { c: code }, OFFICE('audit review'));
      return (log.data.subject.accessLog.nodes as { purpose: string | null }[]).some((n) => n.purpose === purpose);
    }, `the access log of ${code} naming '${purpose}'`);

  describe('finding 1: persons masked for roles without personal, and every read names its subjects', () => {
    it('masks the person in an order and its free text for an approval system, and the access log names the read', async () => {
      const person = graph.seeded.examples.dishonestPerson;
      const recordId = await debtorRecord(person);
      // An identity number typed with a wrong check character is still a person's number.
      const typed = buildResidentId('110101', '19900307', '123');
      const wrongCheck = `${typed.slice(0, 17)}${typed[17] === '0' ? '1' : '0'}`;
      const ordered = await gql(ORDER, { input: { subjectCode: person, department: 'COURTS', recordId, requirement: `履行义务（经办人 ${wrongCheck}）`, deadline: addDays(today, 30), idempotencyKey: key() } }, COURTS());
      expect(ordered.errors).toBeUndefined();
      const id = ordered.data.orderRectification.id;
      const read = await gql('query($id: ID!) { rectificationOrder(id: $id) { subjectCode recordId requirement } }', { id }, APPROVAL('review-17 order read'));
      expect(read.errors).toBeUndefined();
      expect(read.data.rectificationOrder.subjectCode).toBe(maskResidentId(person));
      expect(JSON.stringify(read)).not.toContain(person);
      expect(JSON.stringify(read)).not.toContain(wrongCheck);
      await logged(person, 'review-17 order read');
    });

    it('names the person of a public commitment in the audit of the public list, masked in the answer', async () => {
      const person = graph.seeded.examples.dishonestPerson;
      const made = await gql('mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }', {
        input: { department: 'COURTS', subjectCode: person, scenario: 'ADMINISTRATIVE_LICENSING', content: '如实履行', application: 'R17-1', deadline: addDays(today, 10), idempotencyKey: key() },
      }, OFFICE());
      expect(made.errors).toBeUndefined();
      const published = await gql('{ commitmentPublicity(first: 100) { nodes { id subjectCode } } }', {}, APPROVAL('review-17 publicity read'));
      const mine = published.data.commitmentPublicity.nodes.find((n: { id: string }) => n.id === made.data.recordCommitment.id);
      expect(mine.subjectCode).toBe(maskResidentId(person));
      expect(JSON.stringify(published)).not.toContain(person);
      await logged(person, 'review-17 publicity read');
    });
  });

  describe('finding 2: no joint case or order on a record that is disputed, revoked or ended', () => {
    it('refuses both on a disputed record, then on the revoked one, and stores nothing', async () => {
      const code = graph.seeded.examples.dishonestDebtor;
      const recordId = await debtorRecord(code);
      const before = (await db.query('SELECT (SELECT count(*) FROM credit.joint_case) + (SELECT count(*) FROM credit.rectification_order) AS n')).rows[0].n;
      const filed = await gql('mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id } }', {
        input: { subjectCode: code, department: 'COURTS', recordId, reason: '已履行完毕', idempotencyKey: key() },
      }, COURTS());
      expect(filed.errors).toBeUndefined();
      const open = { subjectCode: code, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR', recordId };
      const order = { subjectCode: code, department: 'COURTS', recordId, requirement: '履行义务', deadline: addDays(today, 30) };
      expect(refusal(await gql(OPEN, { input: { ...open, idempotencyKey: key() } }, COURTS()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_DISPUTED' }));
      expect(refusal(await gql(ORDER, { input: { ...order, idempotencyKey: key() } }, COURTS()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_DISPUTED' }));
      const upheld = await gql('mutation($id: ID!) { verifyObjection(id: $id, outcome: UPHELD, note: "撤销", correction: REVOKED) { status } }', { id: filed.data.fileObjection.id }, COURTS());
      expect(upheld.errors).toBeUndefined();
      expect(refusal(await gql(OPEN, { input: { ...open, idempotencyKey: key() } }, COURTS())).reason).toMatch(/^RECORD_(WITHDRAWN|MISMATCH)$/);
      expect(refusal(await gql(ORDER, { input: { ...order, idempotencyKey: key() } }, COURTS())).reason).toMatch(/^RECORD_(WITHDRAWN|NOT_IN_FORCE)$/);
      expect((await db.query('SELECT (SELECT count(*) FROM credit.joint_case) + (SELECT count(*) FROM credit.rectification_order) AS n')).rows[0].n).toBe(before);
    });

    it('refuses an order on the formerly listed subject\'s ended record: its verdict stays as it was after the job', async () => {
      const code = graph.seeded.examples.formerlyListed;
      const lists = (await gql('query($c: ID!) { subject(code: $c) { lists { department sourceRecord until } } }', { c: code }, OFFICE())).data.subject.lists;
      const ended = lists.find((e: { department: string; until: string | null }) => e.department !== 'CREDIT_OFFICE' && e.until !== null && e.until <= today);
      expect(ended).toBeDefined();
      const verdict = (await gql(CHECK, { code, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck.verdict;
      const order = { subjectCode: code, department: ended.department, recordId: ended.sourceRecord, requirement: '整改', deadline: addDays(today, 30) };
      expect(refusal(await gql(ORDER, { input: { ...order, idempotencyKey: key() } }, OFFICE())).reason).toBe('RECORD_NOT_IN_FORCE');
      await runScheduledJobs(credit, today);
      expect((await gql(CHECK, { code, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck.verdict).toBe(verdict);
    });
  });

  describe('finding 3: dates that would backdate a listing or never fall due', () => {
    it('refuses an order dated before its record or in the future, and a deadline beyond the bound', async () => {
      const code = graph.seeded.examples.abnormalOperations;
      const market = await gql('query($c: ID!) { subject(code: $c) { market { abnormalOperations { recordId removedOn } } } }', { c: code }, OFFICE());
      const recordId = market.data.subject.market.abnormalOperations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const order = { subjectCode: code, department: 'MARKET', recordId, requirement: '补报年度报告' };
      const backdated = refusal(await gql(ORDER, { input: { ...order, orderedOn: '1900-01-01', deadline: '1900-02-01', idempotencyKey: key() } }, OFFICE()));
      expect(backdated).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'SINCE_BEFORE_RECORD', field: 'orderedOn' }));
      expect(backdated.recordSince).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(refusal(await gql(ORDER, { input: { ...order, orderedOn: addDays(today, 1), deadline: addDays(today, 30), idempotencyKey: key() } }, OFFICE())).reason).toBe('SINCE_IN_FUTURE');
      expect(refusal(await gql(ORDER, { input: { ...order, deadline: '9999-12-31', idempotencyKey: key() } }, OFFICE()))).toEqual(expect.objectContaining({ reason: 'DEADLINE_TOO_FAR', field: 'deadline' }));
      expect(refusal(await gql(ORDER, { input: { ...order, deadline: addDays(today, -1), idempotencyKey: key() } }, OFFICE())).reason).toBe('DEADLINE_BEFORE_START');
      // Nothing was stored: the subject is not under key attention by any of them.
      const entries = (await gql('query($c: ID!) { subject(code: $c) { lists { department sourceRecord } } }', { c: code }, OFFICE())).data.subject.lists;
      expect(entries.filter((e: { sourceRecord: string }) => e.sourceRecord.startsWith('rectification_order/'))).toEqual([]);
    });

    it('refuses a commitment dated before the check it backs, and a deadline beyond the bound', async () => {
      const code = graph.seeded.examples.redList;
      const check = (await gql(CHECK, { code, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck;
      const input = { department: 'MARKET', subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '补齐材料', application: 'R17-2', checkId: check.checkId };
      const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }';
      expect(refusal(await gql(COMMIT, { input: { ...input, madeOn: addDays(today, -20), deadline: addDays(today, -2), idempotencyKey: key() } }, OFFICE()))).toEqual(
        expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'SINCE_BEFORE_RECORD', field: 'madeOn', checkedOn: today }),
      );
      expect(refusal(await gql(COMMIT, { input: { ...input, deadline: '9999-12-31', idempotencyKey: key() } }, OFFICE())).reason).toBe('DEADLINE_TOO_FAR');
      const { rows } = await db.query('SELECT count(*)::int AS n FROM credit.credit_commitment WHERE check_id = $1::uuid', [check.checkId]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('finding 4: a commitment fulfilled after its deadline is breached all the same', () => {
    // Both checks first: a breach black-lists the subject, whose later checks grant no 容缺受理.
    const granted: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) granted.push((await gql(CHECK, { code: graph.seeded.examples.redList, scenario: 'ADMINISTRATIVE_LICENSING' }, APPROVAL())).data.creditCheck.checkId);
    });
    it('the job breaches one recorded as fulfilled only after its deadline', async () => {
      const input = { department: 'MARKET', subjectCode: graph.seeded.examples.redList, scenario: 'ADMINISTRATIVE_LICENSING', content: '补齐材料', application: 'R17-5', checkId: granted[0], deadline: today, idempotencyKey: key() };
      const id = (await gql('mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }', { input }, OFFICE())).data.recordCommitment.id;
      expect((await gql('mutation($id: ID!) { fulfilCommitment(id: $id, note: "已补齐") { status } }', { id }, OFFICE())).data.fulfilCommitment.status).toBe('FULFILLED');
      // As it stood before the fix: fulfilled a day after a deadline that had passed.
      await db.query('UPDATE credit.credit_commitment SET made_on = $2::date, deadline = $3::date, fulfilled_on = $4::date WHERE id = $1::bigint', [id, addDays(today, -10), addDays(today, -3), addDays(today, -1)]);
      await runScheduledJobs(credit, today);
      expect((await gql('query($id: ID!) { commitment(id: $id) { status breachedOn } }', { id }, OFFICE())).data.commitment).toEqual({ status: 'BREACHED', breachedOn: addDays(today, -2) });
    });

    it('refuses the late fulfilment, breaches it from the day after the deadline, and one check backs one commitment', async () => {
      const code = graph.seeded.examples.redList;
      const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }';
      const input = { department: 'MARKET', subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '补齐材料', application: 'R17-3', checkId: granted[1], deadline: today };
      const id = (await gql(COMMIT, { input: { ...input, idempotencyKey: key() } }, OFFICE())).data.recordCommitment.id;
      expect(refusal(await gql(COMMIT, { input: { ...input, application: 'R17-4', idempotencyKey: key() } }, OFFICE())).reason).toBe('CHECK_ALREADY_USED');
      // The calendar moves on past the deadline; the job has not run yet when the department confirms the fulfilment.
      await db.query('UPDATE credit.credit_commitment SET made_on = $2::date, deadline = $3::date WHERE id = $1::bigint', [id, addDays(today, -10), addDays(today, -2)]);
      const late = refusal(await gql('mutation($id: ID!) { fulfilCommitment(id: $id, note: "材料已补齐") { status } }', { id }, OFFICE()));
      expect(late).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION', status: 'BREACHED' }));
      const seen = (await gql('query($id: ID!) { commitment(id: $id) { status breachedOn breachAutomatic } }', { id }, OFFICE())).data.commitment;
      expect(seen).toEqual({ status: 'BREACHED', breachedOn: addDays(today, -1), breachAutomatic: true });
      const lists = (await gql('query($c: ID!) { subject(code: $c) { lists { kind sourceRecord since } } }', { c: code }, OFFICE())).data.subject.lists;
      expect(lists).toContainEqual({ kind: 'BLACK', sourceRecord: `credit_commitment/${id}`, since: addDays(today, -1) });
    });
  });

  describe('finding 5: a department\'s queue in id order, paged without loss', () => {
    it('pages twelve notices with a cursor past id 9 and sees every one, in order', async () => {
      for (let i = 0; i < 12; i++) {
        await db.query(`INSERT INTO credit.department_notification (department, kind, reference, message) VALUES ('TAX', 'REPORT_ROUTED', $1, 'review')`, [`report/r17-${i}`]);
      }
      const all = (await gql('{ departmentNotifications(department: TAX, first: 100) { id } }', {}, OFFICE())).data.departmentNotifications.map((n: { id: string }) => n.id);
      expect(all.length).toBeGreaterThanOrEqual(12);
      expect(all).toEqual([...all].sort((a: string, b: string) => Number(a) - Number(b)));
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { id: string }[] = (await gql('query($a: ID) { departmentNotifications(department: TAX, first: 5, after: $a) { id } }', { a: after }, OFFICE())).data.departmentNotifications;
        if (page.length === 0) break;
        seen.push(...page.map((n) => n.id));
        after = page[page.length - 1]!.id;
      }
      expect(seen).toEqual(all);
    });
  });

  describe('findings 6, 7 and 8: who feeds back and interviews, and one case or order per record', () => {
    it('records joint-case feedback under the caller\'s own department only, and refuses a second case on the record', async () => {
      const person = graph.seeded.examples.dishonestPerson;
      const recordId = await debtorRecord(person);
      const STATS = 'query($f: String!, $t: String!) { implementationStatistics(from: $f, to: $t) { byDepartment { department measuresReceived } } }';
      const received = async () =>
        (await gql(STATS, { f: today, t: today }, OFFICE())).data.implementationStatistics.byDepartment.find((row: { department: string }) => row.department === 'MARKET').measuresReceived;
      const input = { subjectCode: person, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR', recordId, measureCodes: ['P_NO_SENIOR_POST'] };
      const opened = await gql(OPEN, { input: { ...input, idempotencyKey: key() } }, COURTS());
      expect(opened.errors).toBeUndefined();
      const caseId = opened.data.openJointCase.id;
      const before = await received();
      expect(refusal(await gql(OPEN, { input: { ...input, idempotencyKey: key() } }, COURTS()))).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'ALREADY_OPEN', jointCaseId: caseId }));
      expect(await received()).toBe(before);
      const SUBMIT = 'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id department } }';
      const feedback = { jointCaseId: caseId, measureCode: 'P_NO_SENIOR_POST', action: 'APPLIED' };
      expect(refusal(await gql(SUBMIT, { input: { ...feedback, department: '市税务局', idempotencyKey: key() } }, MARKET()))).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
      expect(refusal(await gql(SUBMIT, { input: { ...feedback, department: 'TAX', idempotencyKey: key() } }, MARKET())).reason).toBe('OTHER_DEPARTMENT');
      const given = await gql(SUBMIT, { input: { ...feedback, department: '市市场监管局', idempotencyKey: key() } }, MARKET());
      expect(given.data.submitFeedback.department).toBe('MARKET');
      const seen = (await gql('query($id: ID!) { jointCase(id: $id) { feedback { department measureCode } } }', { id: caseId }, OFFICE())).data.jointCase.feedback;
      expect(seen).toEqual([{ department: 'MARKET', measureCode: 'P_NO_SENIOR_POST' }]);
    });

    it('refuses a second open order on a record, and an interview by anyone but the determining department', async () => {
      const code = graph.seeded.examples.abnormalOperations;
      const market = await gql('query($c: ID!) { subject(code: $c) { market { abnormalOperations { recordId removedOn } } } }', { c: code }, OFFICE());
      const recordId = market.data.subject.market.abnormalOperations.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
      const order = { subjectCode: code, department: 'MARKET', recordId, requirement: '补报年度报告', deadline: today };
      const first = await gql(ORDER, { input: { ...order, idempotencyKey: key() } }, MARKET());
      expect(first.errors).toBeUndefined();
      const id = first.data.orderRectification.id;
      // The calendar moves on past the deadline (an order is recorded when it is made, never backdated).
      await db.query('UPDATE credit.rectification_order SET ordered_on = $2::date, deadline = $3::date WHERE id = $1::bigint', [id, addDays(today, -30), addDays(today, -10)]);
      expect(refusal(await gql(ORDER, { input: { ...order, requirement: '再次责令', idempotencyKey: key() } }, OFFICE()))).toEqual(expect.objectContaining({ reason: 'ALREADY_OPEN', rectificationOrderId: id }));
      const INTERVIEW = 'mutation($input: RecordInterviewInput!) { recordInterview(input: $input) { id } }';
      const interview = { rectificationOrderId: id, kind: 'WARNING', heldOn: addDays(today, -5), participants: ['市场监管局 李科长'], content: '告知后果', outcome: '承诺整改' };
      expect(refusal(await gql(INTERVIEW, { input: { ...interview, idempotencyKey: key() } }, OFFICE()))).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
      expect((await gql(INTERVIEW, { input: { ...interview, idempotencyKey: key() } }, MARKET())).errors).toBeUndefined();
      const record = (await gql('query($c: ID!) { subject(code: $c) { rectificationOrders { id interviews { kind } } } }', { c: code }, APPROVAL())).data.subject.rectificationOrders;
      expect(record).toEqual([{ id, interviews: [{ kind: 'WARNING' }] }]);
    });
  });
});
