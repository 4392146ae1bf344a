/**
 * A decision about a department's record is never half-applied (found by a
 * review of the running graph: the department took the change before the
 * credit office committed, so a crash in between left a department showing a
 * decision the credit office never made). The credit office commits the
 * decision and delivers it afterwards, again and again until the department
 * takes it (subgraphs/credit/workflows/record-status-outbox.ts). Through the
 * gateway of the whole graph, with the court's service stopped and the credit
 * office killed in between: what each caller sees, and that it converges.
 */
import { eventually } from '../helpers/eventually';
import { startTestGraph, type TestGraph } from '../helpers/graph';

const FILE = 'mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id status departmentNotified } }';
const VERIFY = 'mutation($id: ID!, $outcome: ObjectionOutcome!, $correction: RecordCorrection) { verifyObjection(id: $id, outcome: $outcome, note: "经核实", correction: $correction) { id status departmentNotified } }';
const OBJECTION = 'query($id: ID!) { objection(id: $id) { status departmentNotified } }';

describe('a decision reaches the department after the credit office committed it, and converges', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 200 });
  }, 240_000);
  afterAll(async () => {
    await graph?.close();
  });

  const PUBLIC = {};
  const COURTS = () => graph.as('DEPARTMENT', 'court clerk');
  const OFFICE = () => graph.as('CREDIT_OFFICE', 'credit office');
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  let serial = 0;
  const key = () => `e2e-13-delivery-${++serial}`;

  const courtRecordOf = async (code: string) => {
    const body = await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code }, OFFICE());
    return body.data.subject.courts.dishonestDebtors.find((r: { removedOn: string | null }) => r.removedOn === null).recordId as string;
  };
  const PROFILE = 'query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId dispute { verifyBy } } } lists { sourceRecord } } }';
  const RECORDS = 'query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId withdrawal { reason reference } } } } }';

  it('commits a verification while the court is down, survives the credit office being killed, and delivers it when they are back', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const recordId = await courtRecordOf(code);
    const filed = (await gql(FILE, { input: { subjectCode: code, department: 'COURTS', recordId, reason: '判决已撤销', idempotencyKey: key() } }, COURTS())).data.fileObjection;
    expect(filed).toEqual(expect.objectContaining({ status: 'OPEN', departmentNotified: true }));

    await graph.graph.stopService('courts');
    // The credit office decides and says the court has not taken it yet; its own lists follow at once.
    const verified = await gql(VERIFY, { id: filed.id, outcome: 'UPHELD', correction: 'REVOKED' }, COURTS());
    expect(verified.errors).toBeUndefined();
    expect(verified.data.verifyObjection).toEqual({ id: filed.id, status: 'UPHELD', departmentNotified: false });
    const lists = await gql('query($c: ID!) { subject(code: $c) { lists { sourceRecord } } }', { c: code }, PUBLIC);
    expect(lists.data.subject.lists.map((e: { sourceRecord: string }) => e.sourceRecord)).not.toContain(recordId);

    // The credit office dies before it could deliver again; the court comes back, then the credit office.
    const credit = graph.graph.processes.get('credit')!;
    const exited = new Promise((resolve) => credit.once('exit', resolve));
    credit.kill('SIGKILL');
    await exited;
    await graph.graph.restartService('courts');
    await graph.graph.restartService('credit');
    // Delivered when the credit office starts.
    await eventually(async () => (await gql(OBJECTION, { id: filed.id }, OFFICE())).data?.objection?.departmentNotified === true, 'the court took the verification', 60_000);

    const seen = (await gql(PROFILE, { c: code }, PUBLIC)).data.subject;
    expect(seen.courts.dishonestDebtors.map((r: { recordId: string }) => r.recordId)).not.toContain(recordId);
    expect(seen.lists.map((e: { sourceRecord: string }) => e.sourceRecord)).not.toContain(recordId);
    const court = (await gql(RECORDS, { c: code }, COURTS())).data.subject.courts.dishonestDebtors;
    expect(court.find((r: { recordId: string }) => r.recordId === recordId).withdrawal).toEqual({ reason: 'REVOKED', reference: `objection/${filed.id}` });
  }, 180_000);

  it('delivers a rejection the court missed when the clerk retries it, and PUBLIC sees the dispute mark gone', async () => {
    const code = graph.seeded.examples.dishonestPerson;
    const recordId = await courtRecordOf(code);
    const filed = (await gql(FILE, { input: { subjectCode: code, department: 'COURTS', recordId, reason: '已履行', idempotencyKey: key() } }, COURTS())).data.fileObjection;
    const marked = (await gql(PROFILE, { c: code }, PUBLIC)).data.subject.courts.dishonestDebtors;
    expect(marked.filter((r: { dispute: unknown }) => r.dispute !== null)).toHaveLength(1);

    await graph.graph.stopService('courts');
    expect((await gql(VERIFY, { id: filed.id, outcome: 'REJECTED' }, COURTS())).data.verifyObjection).toEqual({ id: filed.id, status: 'REJECTED', departmentNotified: false });
    // A filing needs the court's record: refused while the court is down, nothing stored.
    const refused = await gql(FILE, { input: { subjectCode: code, department: 'COURTS', recordId, reason: '再次异议', idempotencyKey: key() } }, COURTS());
    expect(refused.errors?.[0]?.extensions?.code).toBe('DEPARTMENT_UNAVAILABLE');

    await graph.graph.restartService('courts');
    // The same verification again: the same answer, and this time the court takes it.
    const retried = await gql(VERIFY, { id: filed.id, outcome: 'REJECTED' }, COURTS());
    expect(retried.data.verifyObjection).toEqual({ id: filed.id, status: 'REJECTED', departmentNotified: true });
    // A different verification of the verified objection is still refused.
    expect((await gql(VERIFY, { id: filed.id, outcome: 'UPHELD', correction: 'REVOKED' }, COURTS())).errors?.[0]?.extensions).toEqual(expect.objectContaining({ reason: 'INVALID_TRANSITION', status: 'REJECTED' }));
    const after = (await gql(PROFILE, { c: code }, PUBLIC)).data.subject.courts.dishonestDebtors;
    expect(after.filter((r: { dispute: unknown }) => r.dispute !== null)).toEqual([]);
    expect(after).toHaveLength(marked.length);
  }, 180_000);
});
