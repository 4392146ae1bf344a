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
import { buildUscc, maskResidentId, validateSubjectCode } from '../../lib/identifiers';
import { pdfText } from '../helpers/pdf';
import { environmentalPenalty, marketPenalty, type DepartmentDatabases } from '../helpers/department-records';

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
  /** The departments' databases, for records written as each department's store writes them. */
  let dbs: DepartmentDatabases & { close(): Promise<void> };

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
    const [market, courts, environment] = await Promise.all(['market', 'courts', 'environment'].map((schema) => openDatabase({ schema, url: graph.databaseUrl })));
    dbs = { market: market!, courts: courts!, environment: environment!, close: async () => void (await Promise.all([market!.close(), courts!.close(), environment!.close()])) };
  }, 240_000);
  afterAll(async () => {
    await dbs?.close();
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

  /** Market penalties repairable today (published five months ago, area OTHER), each of a subject of its own, written as the market's store writes them. */
  let fixtures = 0;
  const repairablePenalties = async (n: number) =>
    Promise.all(Array.from({ length: n }, async () => {
      const code = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(71300000 + ++fixtures) });
      return { code, recordId: await marketPenalty(dbs, code, addDays(today, -150)), trigger: 'ADMINISTRATIVE_PENALTY' };
    }));

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

  it('takes a repaired penalty out of both double-publicity listings at once, and marks a disputed one', async () => {
    const PAGE = (department: 'market' | 'environment') =>
      `query($from: String, $to: String, $a: String) { page: ${department}DoublePublicity(kind: PENALTY, from: $from, to: $to, first: 100, after: $a) { nodes { decisionNumber dispute { verifyBy } } endCursor hasNextPage } }`;
    const listed = async (department: 'market' | 'environment', decidedOn: string) => {
      const all: { decisionNumber: string; dispute: { verifyBy: string } | null }[] = [];
      let after: string | null = null;
      for (;;) {
        const body: any = await gql(PAGE(department), { from: decidedOn, to: decidedOn, a: after }, PUBLIC);
        all.push(...body.data.page.nodes);
        if (!body.data.page.hasNextPage) return all;
        after = body.data.page.endCursor;
      }
    };
    const [repaired, disputed] = await repairablePenalties(2);
    const decidedOn = async (decisionNumber: string, table: string) =>
      (await db.query(`SELECT decided_on::text AS d FROM ${table} WHERE decision_number = $1`, [decisionNumber])).rows[0].d as string;
    const number = (recordId: string) => recordId.slice(recordId.indexOf('/') + 1);
    const environmentalCode = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(71390000 + ++fixtures) });
    const environmental = { code: environmentalCode, recordId: await environmentalPenalty(dbs, environmentalCode, addDays(today, -150)) };
    const marketDay = await decidedOn(number(repaired!.recordId), 'market.administrative_penalty');
    const environmentDay = await decidedOn(number(environmental!.recordId), 'environment.environmental_penalty');
    expect((await listed('market', marketDay)).map((n) => n.decisionNumber)).toContain(number(repaired!.recordId));
    expect((await listed('environment', environmentDay)).map((n) => n.decisionNumber)).toContain(number(environmental!.recordId));

    for (const [record, department, headers] of [[repaired!, 'MARKET', MARKET()], [environmental!, 'ENVIRONMENT', OFFICE()]] as const) {
      const applied = await gql(APPLY, { input: { subjectCode: record.code, department, recordId: record.recordId, rectification: ['RECTIFICATION'], idempotencyKey: key() } }, headers);
      expect(applied.errors).toBeUndefined();
      expect((await gql(DECIDE, { id: applied.data.applyForRepair.id, approve: true }, headers)).data.decideRepair.status).toBe('APPROVED');
    }
    expect((await listed('market', marketDay)).map((n) => n.decisionNumber)).not.toContain(number(repaired!.recordId));
    expect((await listed('environment', environmentDay)).map((n) => n.decisionNumber)).not.toContain(number(environmental!.recordId));

    // Disputed: still listed, with the mark.
    const filed = (await gql(FILE, { input: { subjectCode: disputed!.code, department: 'MARKET', recordId: disputed!.recordId, reason: '处罚有误', idempotencyKey: key() } }, MARKET())).data.fileObjection;
    const nodes = await listed('market', await decidedOn(number(disputed!.recordId), 'market.administrative_penalty'));
    expect(nodes.find((n) => n.decisionNumber === number(disputed!.recordId))?.dispute).toEqual({ verifyBy: filed.verifyBy });
  });

  it('shows the rating before a revoked one as the latest rating, and a disputed latest rating with its mark', async () => {
    const [subject] = (await db.query<{ code: string; years: number[] }>(
      `SELECT subject_code AS code, array_agg(year ORDER BY year DESC) AS years FROM tax.tax_credit_rating GROUP BY subject_code HAVING count(*) >= 2 ORDER BY subject_code LIMIT 1`,
    )).rows;
    const [newest, before] = subject!.years;
    const LATEST = 'query($c: ID!) { subject(code: $c) { tax { latestRating { year dispute { verifyBy } } creditRatings { year } } } }';
    expect((await gql(LATEST, { c: subject!.code }, PUBLIC)).data.subject.tax.latestRating).toEqual({ year: newest, dispute: null });
    const recordId = `tax_credit_rating/${subject!.code}/${newest}`;
    const filed = (await gql(FILE, { input: { subjectCode: subject!.code, department: 'TAX', recordId, reason: '评价有误', idempotencyKey: key() } }, OFFICE())).data.fileObjection;
    expect((await gql(LATEST, { c: subject!.code }, PUBLIC)).data.subject.tax.latestRating).toEqual({ year: newest, dispute: { verifyBy: filed.verifyBy } });
    expect((await gql(VERIFY, { id: filed.id, outcome: 'UPHELD', correction: 'REVOKED' }, OFFICE())).data.verifyObjection.status).toBe('UPHELD');
    const after = (await gql(LATEST, { c: subject!.code }, PUBLIC)).data.subject.tax;
    expect(after.latestRating).toEqual({ year: before, dispute: null });
    expect(after.creditRatings.map((r: { year: number }) => r.year)).not.toContain(newest);
    // For the credit office too, the revoked rating is not the latest (it still lists it, withdrawn).
    expect((await gql(LATEST, { c: subject!.code }, OFFICE())).data.subject.tax.latestRating.year).toBe(before);
  });

  it('shows every decision at once, never a cached answer: a representative\'s objection to the entity\'s record, its verification, a list entry ended', async () => {
    // An entity on the black list as a dishonest debtor, with its legal representative; no workflow has touched its record.
    const [entity] = (await db.query<{ code: string; person: string; recordId: string }>(
      `SELECT d.subject_code AS code, r.legal_rep_id AS person, 'dishonest_debtor/' || d.subject_code || '/' || d.case_number AS "recordId"
         FROM courts.dishonest_debtor d JOIN market.registration r ON r.subject_code = d.subject_code
        WHERE d.removed_on IS NULL
          AND EXISTS (SELECT 1 FROM credit.list_entry e WHERE e.source_record = 'dishonest_debtor/' || d.subject_code || '/' || d.case_number AND e.until IS NULL)
          AND NOT EXISTS (SELECT 1 FROM credit.objection o WHERE o.subject_code = d.subject_code OR o.record_subject_code = d.subject_code)
        ORDER BY d.id LIMIT 1`,
    )).rows;
    expect(entity).toBeDefined();
    const PROFILE = 'query Entity($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId dispute { verifyBy } } } lists { kind sourceRecord until } } }';
    const read = async () => {
      const response = await graph.graphql(PROFILE, { c: entity!.code }, PUBLIC);
      return { cache: response.headers.get('x-cache'), subject: response.body.data.subject };
    };
    const record = (subject: any) => subject.courts.dishonestDebtors.find((r: { recordId: string }) => r.recordId === entity!.recordId);
    await read();
    const cached = await read();
    expect(cached.cache).toBe('HIT');
    expect(record(cached.subject).dispute).toBeNull();

    // The person objects to the entity's record: PUBLIC's next read of the entity shows the mark.
    const filed = (await gql(FILE, { input: { subjectCode: entity!.person, department: 'COURTS', recordId: entity!.recordId, reason: '已履行', idempotencyKey: key() } }, COURTS())).data.fileObjection;
    const disputed = await read();
    expect(disputed.cache).toBe('MISS');
    expect(record(disputed.subject).dispute).toEqual({ verifyBy: filed.verifyBy });
    expect((await read()).cache).toBe('HIT');

    // Rejected: the mark goes at once.
    expect((await gql(VERIFY, { id: filed.id, outcome: 'REJECTED' }, COURTS())).data.verifyObjection.status).toBe('REJECTED');
    const rejected = await read();
    expect(rejected.cache).toBe('MISS');
    expect(record(rejected.subject).dispute).toBeNull();

    // The court removes the debtor and ends the entry today: PUBLIC's next read shows it ended.
    const entry = rejected.subject.lists.find((e: { sourceRecord: string; until: string | null }) => e.sourceRecord === entity!.recordId && e.until === null);
    await db.query(`UPDATE courts.dishonest_debtor SET removed_on = $2::date WHERE 'dishonest_debtor/' || subject_code || '/' || case_number = $1`, [entity!.recordId, today]);
    expect((await gql(END, { input: { kind: entry.kind, department: 'COURTS', sourceRecord: entity!.recordId, until: today } }, COURTS())).errors).toBeUndefined();
    const ended = await read();
    expect(ended.cache).toBe('MISS');
    // Ended today: no longer published (a role with records still reads it, ended).
    expect(ended.subject.lists).not.toContainEqual(expect.objectContaining({ sourceRecord: entity!.recordId }));
  });

  it('masks every natural person\'s identity number for callers without personal — record ids, source records, check measures, messages — and takes the masked record id for the subject\'s own filing', async () => {
    const person = graph.seeded.examples.dishonestPerson;
    /** Every string in an answer that carries an unmasked resident identity number. */
    const unmasked = (value: unknown): string[] => {
      if (typeof value === 'string') {
        return (value.match(/\d{17}[\dX]/g) ?? []).some((id) => {
          const checked = validateSubjectCode(id);
          return checked.valid && checked.kind === 'NATURAL_PERSON';
        }) ? [value] : [];
      }
      if (value && typeof value === 'object') return Object.values(value).flatMap(unmasked);
      return [];
    };
    const PROFILE = 'query($c: ID!) { subject(code: $c) { code courts { dishonestDebtors { recordId } consumptionRestrictions { recordId restrictedSubjectCode restrictedPerson { residentId } } } lists { code sourceRecord } } }';
    const seen = (await gql(PROFILE, { c: person }, PUBLIC)).data.subject;
    // The code PUBLIC asked for comes back as sent (the subject's code, the order's restricted subject); nothing else carries the number.
    expect(seen.code).toBe(person);
    expect(unmasked(seen).filter((text) => text !== person)).toEqual([]);
    const masked = seen.courts.dishonestDebtors[0].recordId as string;
    expect(masked).toContain(maskResidentId(person));
    // A department (personal) reads the record ids as they are.
    const court = (await gql(PROFILE, { c: person }, COURTS())).data.subject;
    const recordId = court.courts.dishonestDebtors[0].recordId as string;
    expect(recordId).toBe(masked.replace(maskResidentId(person), person));

    // An approval system (no personal): the check's measures name the records masked.
    const CHECK = 'query($c: ID!) { creditCheck(code: $c, scenario: ADMINISTRATIVE_LICENSING) { code measures { recordId triggers { recordId recordSubjectCode } } } }';
    const check = (await gql(CHECK, { c: person }, graph.as('APPROVAL_SYSTEM', 'licence 13'))).data.creditCheck;
    expect(check.code).toBe(person);
    expect(check.measures.length).toBeGreaterThan(0);
    expect(unmasked(check.measures).filter((text) => text !== person)).toEqual([]);
    expect(check.measures.flatMap((m: { triggers: { recordId: string }[] }) => m.triggers.map((t) => t.recordId))).toContain(masked);

    // The subject files its own objection: a refusal's message names the record masked; the masked id it read is its record.
    const issued = await gql('mutation($i: IssueFilingCodeInput!) { issueFilingCode(input: $i) { code } }', { i: { subjectCode: person, purpose: 'OBJECTION', contact: '138-0000-0000' } }, OFFICE());
    const OWN = 'mutation($i: FileOwnObjectionInput!) { fileOwnObjection(input: $i) { id status recordId subjectCode } }';
    const own = { filingCode: issued.data.issueFilingCode.code, subjectCode: person, department: 'COURTS', reason: '已履行完毕', idempotencyKey: key() };
    const wrong = await gql(OWN, { i: { ...own, recordId: `dishonest_debtor/${person}/（2020）不存在号` } }, PUBLIC);
    expect(refusal(wrong)).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_NOT_FOUND' }));
    expect(unmasked(wrong.errors)).toEqual([]);
    expect(wrong.errors![0].message).toContain(maskResidentId(person));
    const filed = await gql(OWN, { i: { ...own, recordId: masked } }, PUBLIC);
    expect(filed.errors).toBeUndefined();
    // Even the subject's own number comes back masked outside a `code` field: the answer goes to an anonymous caller.
    expect(filed.data.fileOwnObjection).toEqual(expect.objectContaining({ status: 'OPEN', recordId: masked, subjectCode: maskResidentId(person) }));
    const stored = await db.query('SELECT record_id FROM credit.objection WHERE id = $1', [filed.data.fileOwnObjection.id]);
    expect(stored.rows).toEqual([{ record_id: recordId }]);

    // Nor inside the credit report PUBLIC downloads (a PDF the gateway cannot look into): the list entry's record masked.
    const report = await gql('query($c: ID!) { subject(code: $c) { creditReport { pdf } } }', { c: person }, PUBLIC);
    const text = (await pdfText(Buffer.from(report.data.subject.creditReport.pdf, 'base64'))).replace(/\s+/g, '');
    expect(text).toContain(`dishonest_debtor/${maskResidentId(person)}`);
    expect(text).not.toContain(`${person}/`);
  });

  it('answers each of two aliased filings truthfully: the one stored with its data, the refused one null, saying why', async () => {
    const code = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(71380000 + ++fixtures) });
    const first = await marketPenalty(dbs, code, addDays(today, -150));
    const second = await marketPenalty(dbs, code, addDays(today, -140));
    const issue = async () => (await gql('mutation($i: IssueFilingCodeInput!) { issueFilingCode(input: $i) { code } }', { i: { subjectCode: code, purpose: 'OBJECTION', contact: '0755-8888' } }, OFFICE())).data.issueFilingCode.code as string;
    const TWO = `mutation($a: FileOwnObjectionInput!, $b: FileOwnObjectionInput!) {
      a: fileOwnObjection(input: $a) { id recordId status }
      b: fileOwnObjection(input: $b) { id recordId status } }`;
    const filing = (filingCode: string, recordId: string, idempotencyKey: string) => ({ filingCode, subjectCode: code, department: 'MARKET', recordId, reason: '处罚已撤销', idempotencyKey });
    const stored = async () => (await db.query('SELECT o.id::text AS id, o.record_id FROM credit.objection o WHERE o.subject_code = $1 ORDER BY o.id', [code])).rows;

    // One code, two records: the first is filed, the second refused (the code is spent) and stores nothing.
    const once = await issue();
    const body = await gql(TWO, { a: filing(once, first, 'own-a'), b: filing(once, second, 'own-b') }, PUBLIC);
    expect(body.data.a).toEqual(expect.objectContaining({ recordId: first, status: 'OPEN' }));
    expect(body.data.b).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toEqual(expect.objectContaining({ path: ['b'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(await stored()).toEqual([{ id: body.data.a.id, record_id: first }]);
    // What was stored is what the answer said: the subject follows it with its code.
    expect((await gql('query($id: ID!, $c: String!) { filing(id: $id, filingCode: $c) { status } }', { id: body.data.a.id, c: once }, PUBLIC)).data.filing).toEqual({ status: 'OPEN' });

    // The same filing twice in one request is one filing, answered twice.
    const again = await issue();
    const twice = await gql(TWO, { a: filing(again, second, 'own-c'), b: filing(again, second, 'own-c') }, PUBLIC);
    expect(twice.errors).toBeUndefined();
    expect(twice.data.b).toEqual(twice.data.a);
    expect((await stored()).map((row: { record_id: string }) => row.record_id)).toEqual([first, second]);
  });
});
