/**
 * The second black-box review of issue 17, its remaining findings, through the gateway of the whole
 * graph: what the next person sees — another department's joint cases and spot-check samples, an
 * inspection dated before its plan, contradictory feedback, retried transitions, a mistyped queue
 * cursor, weak report keys.
 */
import crypto from 'node:crypto';
import type { Client } from 'pg';
import { type TestGraph } from '../helpers/graph';
import { refusalOf, startDepartmentGraph, type DepartmentGraph } from '../helpers/department-graph';
import { todayInChina } from '../../lib/clock';
import { addDays, caseAssignments } from '../../subgraphs/credit/policy';

describe('issue 17 second review, remaining findings, through the gateway', () => {
  let graph: TestGraph;
  let db: Client;
  let keys: Record<string, string> = {};
  const today = todayInChina();
  let started: DepartmentGraph | undefined;

  beforeAll(async () => {
    started = await startDepartmentGraph(['MARKET', 'TAX', 'ENVIRONMENT'], { subjects: 200, env: { SCHEDULED_JOBS_INTERVAL_MS: '0' } });
    ({ graph, db, keys } = started);
  }, 300_000);
  afterAll(() => started?.close());

  const OFFICE = (purpose = 'credit office') => graph.as('CREDIT_OFFICE', purpose);
  const COURTS = (purpose = 'court clerk') => graph.as('DEPARTMENT', purpose);
  const clerk = (department: string) => (department === 'COURTS' ? COURTS() : { 'x-api-key': keys[department]!, 'x-purpose': `${department.toLowerCase()} clerk` });
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  const refusal = refusalOf;
  let serial = 0;
  const key = () => `review-17c-${++serial}-${Date.now()}-padding`;
  const debtorRecord = async (code: string) =>
    (await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code }, COURTS())).data.subject.courts.dishonestDebtors.find(
      (r: { removedOn: string | null }) => r.removedOn === null,
    ).recordId as string;
  let population: string[] = [];
  const drawPlan = async (department: string, seed: string) => {
    if (population.length === 0) population = (await db.query('SELECT subject_code FROM market.registration ORDER BY subject_code LIMIT 150')).rows.map((r) => r.subject_code);
    const drawn = await gql('mutation($input: DrawSpotCheckPlanInput!) { drawSpotCheckPlan(input: $input) { id department selected { code } } }', {
      input: { name: '2026年第四季度双随机抽查', population, seed, idempotencyKey: key() },
    }, clerk(department));
    expect(drawn.errors).toBeUndefined();
    return drawn.data.drawSpotCheckPlan as { id: string; department: string; selected: { code: string }[] };
  };

  describe('L6: a department reads its own joint cases and spot-check plans only', () => {
    it('refuses another department\'s joint case (OTHER_DEPARTMENT) and answers it to the departments it concerns and the credit office', async () => {
      const code = graph.seeded.examples.dishonestDebtor;
      // The measures the catalogue has no implementer of the graph for: the case goes to the credit office only (it relays them).
      const { rows: measures } = await db.query(
        `SELECT code, implementing_departments AS implementing FROM credit.measure WHERE version = (SELECT max(version) FROM credit.catalogue_version) AND 'DISHONEST_JUDGMENT_DEBTOR' = ANY(triggers)`,
      );
      const relayed = caseAssignments(measures, 'COURTS').get('CREDIT_OFFICE') ?? [];
      expect(relayed.length).toBeGreaterThan(0);
      const opened = await gql('mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { id assignments { department } } }', {
        input: { subjectCode: code, initiatingDepartment: 'COURTS', trigger: 'DISHONEST_JUDGMENT_DEBTOR', recordId: await debtorRecord(code), measureCodes: relayed, idempotencyKey: key() },
      }, COURTS());
      expect(opened.errors).toBeUndefined();
      const { id, assignments } = opened.data.openJointCase as { id: string; assignments: { department: string }[] };
      const concerned = new Set(['COURTS', ...assignments.map((a) => a.department)]);
      const outsiders = ['MARKET', 'TAX', 'ENVIRONMENT'].filter((d) => !concerned.has(d));
      expect(outsiders.length).toBeGreaterThan(0);
      const READ = 'query($id: ID!) { jointCase(id: $id) { id subjectCode recordId } }';
      for (const outsider of outsiders) {
        const read = await gql(READ, { id }, clerk(outsider));
        expect(read.data?.jointCase ?? null).toBeNull();
        expect(refusal(read)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT', department: outsider }));
        // Nor through its inbox: another department's is the credit office's to read.
        expect(refusal(await gql('{ jointCases(assignedTo: COURTS, first: 100) { nodes { id } } }', {}, clerk(outsider))).reason).toBe('OTHER_DEPARTMENT');
        const own = (await gql('{ jointCases(first: 100) { nodes { id } } }', {}, clerk(outsider))).data.jointCases.nodes as { id: string }[];
        expect(own.map((n) => n.id)).not.toContain(id);
      }
      expect((await gql(READ, { id }, COURTS())).data.jointCase.id).toBe(id);
      expect((await gql(READ, { id }, OFFICE())).data.jointCase.id).toBe(id);
      for (const assigned of [...concerned].filter((d) => d !== 'COURTS' && d !== 'CREDIT_OFFICE')) {
        expect((await gql(READ, { id }, clerk(assigned))).data.jointCase.id).toBe(id);
      }
    });

    it('refuses another department\'s spot-check plan and its sample before the inspections', async () => {
      const plan = await drawPlan('MARKET', 'review-17c-L6');
      const READ = 'query($id: ID!) { spotCheckPlan(id: $id) { id selected { code } } }';
      const read = await gql(READ, { id: plan.id }, clerk('TAX'));
      expect(read.data?.spotCheckPlan ?? null).toBeNull();
      expect(refusal(read)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT', department: 'TAX' }));
      expect(refusal(await gql(READ, { id: plan.id }, COURTS())).reason).toBe('OTHER_DEPARTMENT');
      expect((await gql(READ, { id: plan.id }, clerk('MARKET'))).data.spotCheckPlan.selected).toEqual(plan.selected);
      expect((await gql(READ, { id: plan.id }, OFFICE())).data.spotCheckPlan.selected).toEqual(plan.selected);
    });
  });

  describe('L2: an inspection is dated from its plan\'s draw on', () => {
    it('refuses an inspection of 1900-01-01, or the day before the draw, with the plan\'s date, and records one on the day of the draw', async () => {
      const plan = await drawPlan('MARKET', 'review-17c-L2');
      // The plan was drawn five days ago (as the database would have it then).
      await db.query(`UPDATE credit.spot_check_plan SET drawn_at = drawn_at - interval '5 days' WHERE id = $1::bigint`, [plan.id]);
      const drawnOn = addDays(today, -5);
      const RECORD = 'mutation($input: RecordInspectionResultInput!) { recordInspectionResult(input: $input) { id inspectedOn } }';
      const input = { planId: plan.id, subjectCode: plan.selected[0]!.code, outcome: 'COMPLIANT', findings: '未发现问题' };
      for (const inspectedOn of ['1900-01-01', addDays(drawnOn, -1)]) {
        expect(refusal(await gql(RECORD, { input: { ...input, inspectedOn } }, clerk('MARKET')))).toEqual(
          expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'SINCE_BEFORE_RECORD', field: 'inspectedOn', recordSince: drawnOn }),
        );
      }
      expect(refusal(await gql(RECORD, { input: { ...input, inspectedOn: addDays(today, 1) } }, clerk('MARKET'))).reason).toBe('SINCE_IN_FUTURE');
      const published = async () => (await gql('query($c: ID!) { subject(code: $c) { inspectionResults { planId inspectedOn } } }', { c: input.subjectCode }, {})).data.subject.inspectionResults.filter((r: { planId: string }) => r.planId === plan.id);
      expect(await published()).toEqual([]);
      expect((await gql(RECORD, { input: { ...input, inspectedOn: drawnOn } }, clerk('MARKET'))).data.recordInspectionResult.inspectedOn).toBe(drawnOn);
      expect(await published()).toEqual([{ planId: plan.id, inspectedOn: drawnOn }]);
    });
  });

  describe('L5: one feedback per measure of a case and department', () => {
    const SUBMIT = 'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id department action } }';
    const STATS = 'query($f: String!, $t: String!) { implementationStatistics(from: $f, to: $t) { byDepartment { department measuresReceived measuresApplied measuresFedBack } } }';
    const stats = async () =>
      (await gql(STATS, { f: today, t: today }, OFFICE())).data.implementationStatistics.byDepartment.find((row: { department: string }) => row.department === 'MARKET');

    it('answers the same feedback with the first, refuses a contradicting one, and counts the measure once, the credit office\'s in the market\'s name as the market\'s', async () => {
      const { rows } = await db.query(
        `SELECT subject_code AS code, source_record AS "recordId" FROM credit.list_entry
          WHERE kind = 'KEY_ATTENTION' AND department = 'MARKET' AND source_record LIKE 'abnormal_operations_entry/%' AND until IS NULL AND substr(subject_code, 1, 1) = '9'
            AND source_record NOT IN (SELECT record_id FROM credit.joint_case) ORDER BY id LIMIT 1`,
      );
      const subject = rows[0] as { code: string; recordId: string };
      const before = await stats();
      const opened = await gql('mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { id assignments { department measureCodes } } }', {
        input: { subjectCode: subject.code, initiatingDepartment: 'MARKET', trigger: 'ABNORMAL_OPERATIONS', recordId: subject.recordId, idempotencyKey: key() },
      }, clerk('MARKET'));
      expect(opened.errors).toBeUndefined();
      const jointCase = opened.data.openJointCase as { id: string; assignments: { department: string; measureCodes: string[] }[] };
      const part = jointCase.assignments.find((a) => a.department === 'MARKET')!;
      expect(part).toBeDefined();
      const measureCode = part.measureCodes[0]!;
      const feedback = { jointCaseId: jointCase.id, measureCode, action: 'APPLIED' };
      // The credit office reports in the market's name: it is the market's feedback.
      const first = await gql(SUBMIT, { input: { ...feedback, department: '市市场监管局', idempotencyKey: key() } }, OFFICE());
      expect(first.data.submitFeedback).toEqual(expect.objectContaining({ department: 'MARKET', action: 'APPLIED' }));
      const id = first.data.submitFeedback.id as string;
      // The market says the same again (another key): the feedback recorded answers.
      expect((await gql(SUBMIT, { input: { ...feedback, department: 'MARKET', idempotencyKey: key() } }, clerk('MARKET'))).data.submitFeedback.id).toBe(id);
      expect((await gql(SUBMIT, { input: { ...feedback, department: 'MARKET', idempotencyKey: key() } }, clerk('MARKET'))).data.submitFeedback.id).toBe(id);
      const contradicting = refusal(await gql(SUBMIT, { input: { ...feedback, action: 'NOT_APPLIED', note: '未实施', department: 'MARKET', idempotencyKey: key() } }, clerk('MARKET')));
      expect(contradicting).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION', status: 'APPLIED' }));
      expect(contradicting.message).toContain(`feedback ${id}`);
      expect(refusal(await gql(SUBMIT, { input: { ...feedback, action: 'NOT_APPLIED', note: '未实施', department: 'MARKET', idempotencyKey: key() } }, OFFICE())).reason).toBe('INVALID_TRANSITION');
      const read = (await gql('query($id: ID!) { jointCase(id: $id) { feedback { id measureCode action } assignments { department fedBackMeasureCodes } } }', { id: jointCase.id }, clerk('MARKET'))).data.jointCase;
      expect(read.feedback).toEqual([{ id, measureCode, action: 'APPLIED' }]);
      expect(read.assignments.find((a: { department: string }) => a.department === 'MARKET').fedBackMeasureCodes).toEqual([measureCode]);
      const after = await stats();
      expect(after.measuresReceived - before.measuresReceived).toBe(part.measureCodes.length);
      expect(after.measuresFedBack - before.measuresFedBack).toBe(1);
      expect(after.measuresApplied - before.measuresApplied).toBe(1);
    });
  });

  describe('L4: a transition retried answers what it recorded', () => {
    /** Sends `mutation` twice with the same arguments (both answer the same object) and once with `other` (INVALID_TRANSITION). */
    const retried = async (mutation: string, args: Record<string, unknown>, other: Record<string, unknown>, headers: Record<string, string>) => {
      const first = await gql(mutation, args, headers);
      expect(first.errors).toBeUndefined();
      const answer = Object.values(first.data)[0];
      const again = await gql(mutation, args, headers);
      expect(again.errors).toBeUndefined();
      expect(Object.values(again.data)[0]).toEqual(answer);
      const different = await gql(mutation, { ...args, ...other }, headers);
      expect(Object.values(different.data ?? {})[0] ?? null).toBeNull();
      expect(refusal(different)).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' }));
      return answer as Record<string, unknown>;
    };
    const COMMIT = 'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }';
    const commitment = async (application: string, deadline: string | null = addDays(today, 30)) => {
      const made = await gql(COMMIT, {
        input: { department: 'COURTS', subjectCode: graph.seeded.examples.dishonestDebtor, scenario: 'ADMINISTRATIVE_LICENSING', content: '如实履行', application, deadline, idempotencyKey: key() },
      }, COURTS());
      expect(made.errors).toBeUndefined();
      return made.data.recordCommitment.id as string;
    };

    it('fulfilCommitment and reportCommitmentBreach', async () => {
      const FULFIL = 'mutation($id: ID!, $note: String!, $on: String) { fulfilCommitment(id: $id, note: $note, fulfilledOn: $on) { id status fulfilledOn fulfilmentNote } }';
      const fulfilled = await retried(FULFIL, { id: await commitment('R17C-L4-1'), note: '已补齐材料' }, { note: '另一说明' }, COURTS());
      expect(fulfilled).toEqual(expect.objectContaining({ status: 'FULFILLED', fulfilledOn: today }));
      // The day it was recorded, given again, is the same transition.
      expect((await gql(FULFIL, { id: fulfilled.id, note: '已补齐材料', on: today }, COURTS())).data.fulfilCommitment.status).toBe('FULFILLED');
      const BREACH = 'mutation($id: ID!, $note: String!) { reportCommitmentBreach(id: $id, department: COURTS, note: $note) { id status breachedOn breachNote } }';
      // A commitment with a deadline is not broken before it (the third review: one was reported breached 29 days early and black-listed at once).
      const running = await commitment('R17C-L4-3');
      const early = await gql(BREACH, { id: running, note: '未补齐' }, COURTS());
      expect(refusal(early)).toEqual(expect.objectContaining({ reason: 'NOT_ELIGIBLE_YET', eligibleFrom: addDays(today, 31) }));
      expect((await db.query(`SELECT count(*)::int AS n FROM credit.list_entry WHERE source_record = $1`, [`credit_commitment/${running}`])).rows[0].n).toBe(0);
      const breached = await retried(BREACH, { id: await commitment('R17C-L4-2', null), note: '未履行承诺' }, { note: '另一原因' }, COURTS());
      expect(breached).toEqual(expect.objectContaining({ status: 'BREACHED', breachedOn: today }));
      // A breached commitment is not fulfilled, nor a fulfilled one breached.
      expect(refusal(await gql(FULFIL, { id: breached.id, note: '已补齐材料' }, COURTS())).reason).toBe('INVALID_TRANSITION');
      expect(refusal(await gql(BREACH, { id: fulfilled.id, note: '未履行承诺' }, COURTS())).reason).toBe('INVALID_TRANSITION');
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM credit.list_entry WHERE source_record = $1`, [`credit_commitment/${breached.id}`]);
      expect(rows[0].n).toBe(1);
    });

    it('completeRectification', async () => {
      const { rows } = await db.query(
        `SELECT subject_code AS code, source_record AS "recordId" FROM credit.list_entry
          WHERE kind = 'KEY_ATTENTION' AND department = 'MARKET' AND source_record LIKE 'abnormal_operations_entry/%' AND until IS NULL AND substr(subject_code, 1, 1) = '9'
            AND source_record NOT IN (SELECT record_id FROM credit.joint_case UNION SELECT record_id FROM credit.rectification_order) ORDER BY id LIMIT 1`,
      );
      const subject = rows[0] as { code: string; recordId: string };
      const ordered = await gql('mutation($input: OrderRectificationInput!) { orderRectification(input: $input) { id } }', {
        input: { subjectCode: subject.code, department: 'MARKET', recordId: subject.recordId, requirement: '补报年度报告', deadline: addDays(today, 10), idempotencyKey: key() },
      }, clerk('MARKET'));
      expect(ordered.errors).toBeUndefined();
      const COMPLETE = 'mutation($id: ID!, $note: String!) { completeRectification(id: $id, note: $note) { id status rectifiedOn } }';
      expect(await retried(COMPLETE, { id: ordered.data.orderRectification.id, note: '已整改' }, { note: '另一说明' }, clerk('MARKET'))).toEqual(
        expect.objectContaining({ status: 'RECTIFIED', rectifiedOn: today }),
      );
    });

    it('routeReport and closeReport', async () => {
      const submitted = await gql('mutation($input: SubmitReportInput!) { submitReport(input: $input) { receiptCode } }', {
        input: { subjectCode: graph.seeded.examples.dishonestDebtor, conduct: '转移财产逃避执行（L4）', idempotencyKey: `${crypto.randomUUID()}` },
      }, {});
      expect(submitted.errors).toBeUndefined();
      const { rows } = await db.query(`SELECT id::text AS id FROM credit.public_report WHERE conduct = '转移财产逃避执行（L4）' ORDER BY id DESC LIMIT 1`);
      const id = rows[0].id as string;
      const ROUTE = 'mutation($id: ID!, $d: Department!, $note: String) { routeReport(id: $id, department: $d, note: $note) { id status department } }';
      expect(await retried(ROUTE, { id, d: 'COURTS', note: '请核查' }, { d: 'TAX' }, OFFICE())).toEqual({ id, status: 'ROUTED', department: 'COURTS' });
      const CLOSE = 'mutation($id: ID!, $r: ReportResult!, $note: String!) { closeReport(id: $id, result: $r, note: $note) { id status result } }';
      expect(await retried(CLOSE, { id, r: 'SUBSTANTIATED', note: '查证属实' }, { r: 'NOT_SUBSTANTIATED' }, COURTS())).toEqual({ id, status: 'CLOSED', result: 'SUBSTANTIATED' });
      // Routed again as it was, a closed report answers as it stands; the reporter sees one result.
      expect((await gql(ROUTE, { id, d: 'COURTS', note: '请核查' }, OFFICE())).data.routeReport.status).toBe('CLOSED');
      const followed = (await gql('query($r: String!) { reportByReceipt(receiptCode: $r) { status result } }', { r: submitted.data.submitReport.receiptCode }, {})).data.reportByReceipt;
      expect(followed).toEqual({ status: 'CLOSED', result: 'SUBSTANTIATED' });
    });
  });

  describe('L7: a queue cursor is a notice id', () => {
    const QUEUE = 'query($d: Department, $a: ID) { departmentNotifications(department: $d, after: $a, first: 100) { id reference } }';

    it('reads "09" as 9 and refuses what is not a non-negative integer, instead of an empty queue', async () => {
      // The latest notice of the suite's cases, reports and commitments, and the one before it, its cursor written with a leading zero.
      const { rows } = await db.query('SELECT id::text AS id, department FROM credit.department_notification ORDER BY id DESC LIMIT 1');
      const latest = rows[0] as { id: string; department: string };
      const before = String(BigInt(latest.id) - 1n);
      const page = async (after: string) => (await gql(QUEUE, { d: latest.department, a: after }, OFFICE())).data.departmentNotifications as { id: string }[];
      expect(await page(`0${before}`)).toEqual(await page(before));
      expect((await page(`0${before}`)).map((n) => n.id)).toContain(latest.id);
      expect((await page('0')).map((n) => n.id)).toContain(latest.id);
      expect(await page('99999999999999999999999')).toEqual([]);
      for (const after of ['abc', '-1', '1.5', ' 9', '']) {
        const refused = await gql(QUEUE, { d: latest.department, a: after }, OFFICE());
        expect(refused.data?.departmentNotifications ?? null).toBeNull();
        expect(refusal(refused)).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR', field: 'after' }));
      }
    });
  });

  describe('L3: a report\'s receipt is not had by guessing or resending its key', () => {
    const SUBMIT = 'mutation($input: SubmitReportInput!) { submitReport(input: $input) { receiptCode status } }';
    const FOLLOW = 'query($r: String!) { reportByReceipt(receiptCode: $r) { status conduct } }';
    const report = (conduct: string, idempotencyKey: string) => ({ subjectCode: graph.seeded.examples.dishonestDebtor, conduct, idempotencyKey });
    const stored = async (conduct: string) => (await db.query('SELECT count(*)::int AS n FROM credit.public_report WHERE conduct = $1', [conduct])).rows[0].n as number;

    it('refuses a short or repetitive key (WEAK_KEY) and stores nothing', async () => {
      for (const weak of ['aaaaaaaaaaaaaaaa', 'abababababababababab', '123456789012345', 'short']) {
        const refused = await gql(SUBMIT, { input: report('弱密钥举报（L3）', weak) }, {});
        expect(refused.data?.submitReport ?? null).toBeNull();
        expect(refusal(refused)).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'WEAK_KEY', field: 'idempotencyKey' }));
      }
      expect(await stored('弱密钥举报（L3）')).toBe(0);
    });

    it('answers the receipt to a retry within 15 minutes, and later ALREADY_SUBMITTED without it', async () => {
      const input = report('虚假承诺骗取容缺受理（L3）', crypto.randomUUID());
      const receipt = (await gql(SUBMIT, { input }, {})).data.submitReport.receiptCode as string;
      expect((await gql(SUBMIT, { input }, {})).data.submitReport.receiptCode).toBe(receipt);
      // Sixteen minutes on (as the database would have it then): the same key and content get no receipt.
      await db.query(`UPDATE credit.public_report SET submitted_at = submitted_at - interval '16 minutes' WHERE conduct = $1`, [input.conduct]);
      const later = await gql(SUBMIT, { input }, {});
      expect(later.data?.submitReport ?? null).toBeNull();
      expect(refusal(later)).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'ALREADY_SUBMITTED' }));
      expect(JSON.stringify(later)).not.toContain(receipt);
      expect(await stored(input.conduct)).toBe(1);
      // The reporter, who kept the receipt, still follows the report.
      expect((await gql(FOLLOW, { r: receipt }, {})).data.reportByReceipt).toEqual({ status: 'RECEIVED', conduct: input.conduct });
    });
  });
});
