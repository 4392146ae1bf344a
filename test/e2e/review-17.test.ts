/**
 * The black-box review of issue 17, through the gateway of the whole graph: what the next person sees
 * after each action the review found wrong — a role without `personal` reading a person's order,
 * commitment or free text, and the subject's access log naming the read.
 */
import { Client } from 'pg';
import { eventually } from '../helpers/eventually';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { openDatabase, type Database } from '../../lib/db';
import { todayInChina } from '../../lib/clock';
import { buildResidentId, maskResidentId } from '../../lib/identifiers';
import { addDays } from '../../subgraphs/credit/policy';

describe('issue 17 review findings, through the gateway', () => {
  let graph: TestGraph;
  let db: Client;
  let credit: Database;
  const today = todayInChina();

  beforeAll(async () => {
    // No scheduled job in the background: the suite runs it when the calendar says so (runScheduledJobs on the graph's database).
    graph = await startTestGraph({ subjects: 200, env: { SCHEDULED_JOBS_INTERVAL_MS: '0' } });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    credit = await openDatabase({ schema: 'credit', url: graph.databaseUrl });
  }, 300_000);
  afterAll(async () => {
    await credit?.close();
    await db?.end();
    await graph?.close();
  });

  const COURTS = (purpose = 'court clerk') => graph.as('DEPARTMENT', purpose);
  const OFFICE = (purpose = 'credit office') => graph.as('CREDIT_OFFICE', purpose);
  const APPROVAL = (purpose = 'licence application') => graph.as('APPROVAL_SYSTEM', purpose);
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  const refusal = (body: { errors?: any[] }) => ({ ...body.errors?.[0]?.extensions, message: body.errors?.[0]?.message });
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
});
