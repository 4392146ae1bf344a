/**
 * What the next caller sees after each workflow decision, through the gateway
 * of the whole graph (every service a real process, real PostgreSQL): the
 * defects a review of the running graph found in the bound workflows and
 * their disclosure (issue 13), each as the user who would run into it.
 */
import { Client } from 'pg';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { addDays } from '../../subgraphs/credit/policy/calendar';
import { todayInChina } from '../../lib/clock';
import { openDatabase } from '../../lib/db';
import { createClient } from '../../subgraphs/credit/clients';

const END = 'mutation($input: EndListEntryInput!) { endListEntry(input: $input) { until } }';
const FILE = 'mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id status verifyBy } }';
const VERIFY = 'mutation($id: ID!, $outcome: ObjectionOutcome!, $correction: RecordCorrection) { verifyObjection(id: $id, outcome: $outcome, note: "核实", correction: $correction) { id status } }';
const APPLY = 'mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id status } }';
const DECIDE = 'mutation($id: ID!, $approve: Boolean!) { decideRepair(id: $id, approve: $approve, note: "整改到位") { id status } }';
const OPEN_CASE = 'mutation($input: OpenJointCaseInput!) { openJointCase(input: $input) { id } }';

describe('after a workflow decision, through the gateway', () => {
  let graph: TestGraph;
  let db: Client;
  const today = todayInChina();
  let marketKey = '';

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 300 });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    // A market clerk besides the demo's court clerk.
    const credit = await openDatabase({ schema: 'credit', url: graph.databaseUrl });
    try {
      marketKey = (await createClient(credit, { name: 'market clerk', role: 'DEPARTMENT', department: 'MARKET' })).apiKey;
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
  const MARKET = () => ({ 'x-api-key': marketKey, 'x-purpose': 'market clerk' });
  let serial = 0;
  const key = () => `e2e-13-review-${++serial}`;
  const refusal = (body: { errors?: any[] }) => ({ ...body.errors?.[0]?.extensions, message: body.errors?.[0]?.message });
  /** The first record of `list` in `department`'s profile of `code` still in force, as the credit office reads it. */
  const recordOf = async (code: string, department: 'market' | 'courts' | 'tax' | 'environment', list: string, open = 'removedOn') => {
    const body = await gql(`query($c: ID!) { subject(code: $c) { ${department} { ${list} { recordId ${open} } } } }`, { c: code }, OFFICE());
    return body.data.subject[department][list].find((r: Record<string, unknown>) => r[open] === null).recordId as string;
  };
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  /** Every entry of a public list, page by page. */
  const listPage = async (kind: string, headers: Record<string, string>, selection = 'code sourceRecord') => {
    const all: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await gql(`query($k: ListKind!, $a: String) { listEntries(kind: $k, first: 100, after: $a) { nodes { ${selection} } endCursor hasNextPage } }`, { k: kind, a: after }, headers);
      all.push(...page.data.listEntries.nodes);
      if (!page.data.listEntries.hasNextPage) return all;
      after = page.data.listEntries.endCursor;
    }
  };

  it('refuses to end a list entry in the past, and PUBLIC still sees the entry in force', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const LISTS = 'query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord until } } }';
    const entry = (await gql(LISTS, { c: code }, PUBLIC)).data.subject.lists.find((e: { kind: string; department: string; until: string | null }) => e.kind === 'BLACK' && e.department === 'COURTS' && e.until === null);
    expect(entry).toBeDefined();
    const input = { kind: 'BLACK', department: 'COURTS', sourceRecord: entry.sourceRecord, until: addDays(today, -30) };
    for (const headers of [COURTS(), OFFICE()]) {
      const body = await gql(END, { input }, headers);
      expect(body.errors?.[0]?.extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RETROACTIVE_END', field: 'until' }));
    }
    expect((await gql(LISTS, { c: code }, PUBLIC)).data.subject.lists).toContainEqual({ ...entry, until: null });
    expect((await listPage('BLACK', PUBLIC)).map((e) => e.sourceRecord)).toContain(entry.sourceRecord);
  });

  it('shows a department only the objections on its own records (the credit office all of them)', async () => {
    const courtRecord = await recordOf(graph.seeded.examples.dishonestDebtor, 'courts', 'dishonestDebtors');
    const marketRecord = await recordOf(graph.seeded.examples.abnormalOperations, 'market', 'abnormalOperations');
    const courts = (await gql(FILE, { input: { subjectCode: graph.seeded.examples.dishonestDebtor, department: 'COURTS', recordId: courtRecord, reason: '已履行', idempotencyKey: key() } }, COURTS())).data.fileObjection;
    const market = (await gql(FILE, { input: { subjectCode: graph.seeded.examples.abnormalOperations, department: 'MARKET', recordId: marketRecord, reason: '已公示年报', idempotencyKey: key() } }, MARKET())).data.fileObjection;
    const ONE = 'query($id: ID!) { objection(id: $id) { id department recordId } }';
    const PAGE = 'query($d: Department) { objections(department: $d, first: 100) { nodes { id department } } }';
    const BY_SUBJECT = 'query($c: ID!) { subject(code: $c) { objections { id department } } }';

    // The market's clerk: its own objection, never the court's — by id, by filter, by subject.
    expect((await gql(ONE, { id: market.id }, MARKET())).data.objection).toEqual({ id: market.id, department: 'MARKET', recordId: marketRecord });
    const byId = await gql(ONE, { id: courts.id }, MARKET());
    expect(byId.data?.objection ?? null).toBeNull();
    expect(refusal(byId)).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
    expect(refusal(await gql(PAGE, { d: 'COURTS' }, MARKET()))).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
    const page = (await gql(PAGE, {}, MARKET())).data.objections.nodes;
    expect(page).toContainEqual({ id: market.id, department: 'MARKET' });
    expect(page.every((o: { department: string }) => o.department === 'MARKET')).toBe(true);
    expect((await gql(BY_SUBJECT, { c: graph.seeded.examples.dishonestDebtor }, MARKET())).data.subject.objections).toEqual([]);

    // The court's clerk sees the court's; the credit office both.
    expect((await gql(BY_SUBJECT, { c: graph.seeded.examples.dishonestDebtor }, COURTS())).data.subject.objections).toEqual([{ id: courts.id, department: 'COURTS' }]);
    const all = (await gql(PAGE, {}, OFFICE())).data.objections.nodes;
    expect(all).toEqual(expect.arrayContaining([{ id: courts.id, department: 'COURTS' }, { id: market.id, department: 'MARKET' }]));
  });

  /** Market penalties repairable today (3 months after publication, still published), one per subject, with their trigger. */
  const repairablePenalties = async (n: number) =>
    (await db.query<{ code: string; recordId: string; trigger: string }>(
      `SELECT DISTINCT ON (subject_code) subject_code AS code, 'administrative_penalty/' || decision_number AS "recordId",
              CASE WHEN serious AND area IN ('FOOD_AND_DRUG','CONSTRUCTION','WORK_SAFETY','SPECIAL_EQUIPMENT','FIRE_SAFETY') THEN 'SERIOUS_PENALTY' ELSE 'ADMINISTRATIVE_PENALTY' END AS trigger
         FROM market.administrative_penalty
        WHERE area NOT IN ('SPECIAL_EQUIPMENT','WORK_SAFETY','FIRE_SAFETY') AND published_on < $1::date AND publication_ends_on > $2::date
        ORDER BY subject_code, id LIMIT $3`,
      [addDays(today, -124), today, n],
    )).rows;

  it('refuses every workflow on a record already revoked or repaired, and publishes no repair notice of a revoked record', async () => {
    const [revoked, repaired] = await repairablePenalties(2);
    expect(repaired).toBeDefined();
    const objection = (input: { code: string; recordId: string }) => ({ input: { subjectCode: input.code, department: 'MARKET', recordId: input.recordId, reason: '处罚有误', idempotencyKey: key() } });
    const repair = (input: { code: string; recordId: string }) => ({ input: { subjectCode: input.code, department: 'MARKET', recordId: input.recordId, rectification: ['RECTIFICATION'], idempotencyKey: key() } });
    const jointCase = (input: { code: string; recordId: string; trigger: string }) => ({ input: { subjectCode: input.code, initiatingDepartment: 'MARKET', trigger: input.trigger, recordId: input.recordId, idempotencyKey: key() } });
    const withdrawn = (body: { errors?: any[] }, withdrawal: string) =>
      expect(refusal(body)).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_WITHDRAWN', withdrawal }));

    // Revoked after an upheld objection while a repair application was pending: the repair is not approved.
    const pending = (await gql(APPLY, repair(revoked!), MARKET())).data.applyForRepair;
    const filed = (await gql(FILE, objection(revoked!), MARKET())).data.fileObjection;
    expect((await gql(VERIFY, { id: filed.id, outcome: 'UPHELD', correction: 'REVOKED' }, MARKET())).data.verifyObjection.status).toBe('UPHELD');
    withdrawn(await gql(DECIDE, { id: pending.id, approve: true }, MARKET()), 'REVOKED');
    withdrawn(await gql(APPLY, repair(revoked!), MARKET()), 'REVOKED');
    withdrawn(await gql(FILE, objection(revoked!), MARKET()), 'REVOKED');
    withdrawn(await gql(OPEN_CASE, jointCase(revoked!), MARKET()), 'REVOKED');
    // The credit office is refused the same.
    withdrawn(await gql(OPEN_CASE, jointCase(revoked!), OFFICE()), 'REVOKED');

    // Repaired: no second repair, no objection, no joint case.
    const applied = (await gql(APPLY, repair(repaired!), MARKET())).data.applyForRepair;
    expect((await gql(DECIDE, { id: applied.id, approve: true }, MARKET())).data.decideRepair.status).toBe('APPROVED');
    withdrawn(await gql(APPLY, repair(repaired!), MARKET()), 'REPAIRED');
    withdrawn(await gql(FILE, objection(repaired!), MARKET()), 'REPAIRED');
    withdrawn(await gql(OPEN_CASE, jointCase(repaired!), OFFICE()), 'REPAIRED');

    // What PUBLIC sees: one repair notice, of the repaired record; the revoked one neither published nor noticed.
    const NOTICES = 'query($c: ID!) { subject(code: $c) { market { penalties { recordId } } repairNotices { recordId } } }';
    const ofRevoked = (await gql(NOTICES, { c: revoked!.code }, PUBLIC)).data.subject;
    expect(ofRevoked.repairNotices).toEqual([]);
    expect(ofRevoked.market.penalties.map((p: { recordId: string }) => p.recordId)).not.toContain(revoked!.recordId);
    expect((await gql(NOTICES, { c: repaired!.code }, PUBLIC)).data.subject.repairNotices).toEqual([{ recordId: repaired!.recordId }]);
    const stored = await db.query(`SELECT status, count(*)::int AS n FROM credit.repair_application WHERE record_id = ANY($1) GROUP BY status ORDER BY status`, [[revoked!.recordId, repaired!.recordId]]);
    expect(stored.rows).toEqual([{ status: 'APPROVED', n: 1 }, { status: 'PENDING', n: 1 }]);
    expect(await db.query(`SELECT 1 FROM credit.joint_case WHERE record_id = ANY($1)`, [[revoked!.recordId, repaired!.recordId]]).then((r) => r.rowCount)).toBe(0);
  });
});
