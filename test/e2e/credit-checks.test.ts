/**
 * Credit checks end to end: every subgraph a real process on the real
 * PostgreSQL server, the verdict decided from the departments' live records
 * through the gateway, recorded with its checkId, and failing closed when a
 * department process is stopped.
 */
import { Client } from 'pg';
import { createPlan } from '../../scripts/seed/plan';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { addYears } from '../../subgraphs/credit/policy/calendar';
import { todayInChina } from '../../lib/clock';
import { SCENARIOS } from '../../subgraphs/credit/vocabulary';

const SUBJECTS = 2000;
const PLANNED_CODES = createPlan({ subjects: SUBJECTS, seed: 7 }).subjects.map((subject) => subject.code);

const CHECK = `query Check($code: ID!, $scenario: Scenario!) {
  creditCheck(code: $code, scenario: $scenario) {
    checkId code scenario verdict registered missingSources checkedAt catalogueVersion
    legalRepresentative { name residentId }
    measures { code kind effect appliesTo trigger initiatingDepartment recordId recordSubjectCode basis until suspended
               triggers { trigger initiatingDepartment recordId recordSubjectCode } }
  }
}`;

describe('credit checks through the gateway', () => {
  let graph: TestGraph;
  let db: Client;

  beforeAll(async () => {
    // The credit office runs checks, workflows, lists and statistics; a bidding check is asked as a trading platform.
    // The cache off: these tests write the departments' databases directly (a new registration status, a stopped
    // department), which bypasses the invalidation a department's own write announces; a check answered from the
    // evidence cached for its hint (60 s) is test/cache's subject, not the policy's.
    graph = await startTestGraph({ subjects: SUBJECTS, env: { SUBGRAPH_TIMEOUT_MS: '1500', CACHE: 'off' }, caller: 'CREDIT_OFFICE' });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await graph?.close();
  });

  const check = async (code: string, scenario: string, headers?: Record<string, string>) => {
    const { body } = await graph.graphql(CHECK, { code, scenario }, headers);
    return body;
  };

  it('bars a dishonest judgment debtor from bidding, citing the court record, and records the check', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const body = await check(code, 'PUBLIC_RESOURCE_TRADING', graph.as('TRADING_PLATFORM', 'bidding round 2026-07'));
    expect(body.errors).toBeUndefined();
    const result = body.data.creditCheck;
    expect(result).toEqual(expect.objectContaining({ code, scenario: 'PUBLIC_RESOURCE_TRADING', verdict: 'PROHIBITED', missingSources: [] }));
    const profile = await graph.graphql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code });
    const courtRecord = profile.body.data.subject.courts.dishonestDebtors.find((r: { removedOn: string | null }) => r.removedOn === null).recordId;
    expect(result.measures).toContainEqual(
      expect.objectContaining({ kind: 'PUNISHMENT', effect: 'PROHIBIT', trigger: 'DISHONEST_JUDGMENT_DEBTOR', initiatingDepartment: 'COURTS', recordId: courtRecord, suspended: false }),
    );
    expect(result.measures.every((m: { basis: string }) => m.basis.length > 0)).toBe(true);
    // The legal representative carries the person-level measures, masked.
    expect(result.legalRepresentative.residentId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(result.measures.some((m: { appliesTo: string }) => m.appliesTo === 'LEGAL_REPRESENTATIVE')).toBe(true);

    const recorded = await db.query('SELECT verdict, scenario, catalogue_version FROM credit.credit_check WHERE check_id = $1', [result.checkId]);
    expect(recorded.rows).toEqual([{ verdict: 'PROHIBITED', scenario: 'PUBLIC_RESOURCE_TRADING', catalogue_version: result.catalogueVersion }]);
    // One row per record that applies a measure; each measure once in the answer.
    const measures = await db.query('SELECT count(*)::int AS n, count(DISTINCT measure_code)::int AS codes FROM credit.applied_measure WHERE check_id = $1', [result.checkId]);
    expect(measures.rows[0]).toEqual({ n: result.measures.reduce((sum: number, m: { triggers: unknown[] }) => sum + m.triggers.length, 0), codes: result.measures.length });
    expect(new Set(result.measures.map((m: { code: string }) => m.code)).size).toBe(result.measures.length);
  });

  it('gives a subject with nothing adverse no punishment, and records each check separately', async () => {
    const first = (await check(graph.seeded.examples.clean, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
    const second = (await check(graph.seeded.examples.clean, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
    expect(['CLEAR', 'INCENTIVE']).toContain(first.verdict);
    expect(first.measures.filter((m: { kind: string }) => m.kind === 'PUNISHMENT')).toEqual([]);
    expect(second.checkId).not.toBe(first.checkId);
  });

  it('rewards the red-list example with an incentive in licensing', async () => {
    const result = (await check(graph.seeded.examples.redList, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
    expect(result.verdict).toBe('INCENTIVE');
    expect(result.measures).toContainEqual(expect.objectContaining({ kind: 'INCENTIVE', trigger: 'TAX_RATING_A', initiatingDepartment: 'TAX' }));
  });

  it("returns a dishonest person's person-level measures on a check of the person", async () => {
    const result = (await check(graph.seeded.examples.dishonestPerson, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
    const restricted = result.measures.find((m: { code: string }) => m.code === 'P_RESTRICTED_HIGH_CONSUMPTION');
    expect(restricted.appliesTo).toBe('SUBJECT');
    expect(restricted.triggers).toContainEqual(expect.objectContaining({ trigger: 'CONSUMPTION_RESTRICTION', initiatingDepartment: 'COURTS' }));
    expect(result.legalRepresentative).toBeNull();
  });

  it('decides and records every check whatever the caller selects: an id alone, aliased, in a fragment, in a batch — and names no check it did not decide', async () => {
    const code = graph.seeded.examples.majorTaxViolation;
    const asked = [
      ['query($c: ID!) { creditCheck(code: $c, scenario: PUBLIC_RESOURCE_TRADING) { checkId } }', (d: any) => [d.creditCheck.checkId]],
      ['query($c: ID!) { creditCheck(code: $c, scenario: PUBLIC_RESOURCE_TRADING) { id: checkId } }', (d: any) => [d.creditCheck.id]],
      ['query($c: ID!) { creditCheck(code: $c, scenario: PUBLIC_RESOURCE_TRADING) { ...Id } } fragment Id on CreditCheck { checkId }', (d: any) => [d.creditCheck.checkId]],
      ['query($c: ID!) { creditChecks(codes: [$c, $c], scenario: PUBLIC_RESOURCE_TRADING) { ... on CreditCheck { checkId } } }', (d: any) => d.creditChecks.map((c: any) => c.checkId)],
    ] as const;
    for (const [query, ids] of asked) {
      const { body } = await graph.graphql(query, { c: code });
      expect(body.errors).toBeUndefined();
      const checkIds: string[] = ids(body.data);
      expect(new Set(checkIds).size).toBe(checkIds.length);
      const recorded = await db.query(
        `SELECT c.verdict, c.decided_at IS NOT NULL AS decided, count(m.id)::int AS measures FROM credit.credit_check c LEFT JOIN credit.applied_measure m ON m.check_id = c.check_id
          WHERE c.check_id = ANY($1::uuid[]) GROUP BY c.check_id, c.verdict, c.decided_at`,
        [checkIds],
      );
      expect(recorded.rows).toEqual(checkIds.map(() => expect.objectContaining({ verdict: 'PROHIBITED', decided: true })));
      expect(recorded.rows.every((row: { measures: number }) => row.measures > 0)).toBe(true);
    }
    // Feedback goes against a measure the check applied; the check reads back decided.
    const { body } = await graph.graphql('query($c: ID!) { creditCheck(code: $c, scenario: PUBLIC_RESOURCE_TRADING) { checkId } }', { c: code });
    const checkId = body.data.creditCheck.checkId;
    const record = (await graph.graphql('query($id: ID!) { creditCheckRecord(checkId: $id) { verdict measures { code } } }', { id: checkId })).body.data.creditCheckRecord;
    expect(record.verdict).toBe('PROHIBITED');
    const fed = await graph.graphql('mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { checkId } }', {
      input: { checkId, measureCode: 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', department: '市公共资源交易中心', action: 'APPLIED', idempotencyKey: `e2e-id-only-${checkId}` },
    });
    expect(fed.body.data.submitFeedback).toEqual({ checkId });
    // Asking only for the inputs names no check at all: nothing is recorded, nothing can be reported on.
    const before = (await db.query('SELECT count(*)::int AS n FROM credit.credit_check WHERE subject_code = $1', [code])).rows[0].n;
    const inputsOnly = await graph.graphql('query($c: ID!) { creditCheck(code: $c, scenario: FISCAL_SUPPORT) { code scenario } }', { c: code });
    expect(inputsOnly.body.data.creditCheck).toEqual({ code, scenario: 'FISCAL_SUPPORT' });
    expect((await db.query('SELECT count(*)::int AS n FROM credit.credit_check WHERE subject_code = $1', [code])).rows[0].n).toBe(before);
  });

  it('checks 1,000 bidders in one round trip, in the order asked', async () => {
    const codes = PLANNED_CODES.slice(0, 1000).reverse();
    const { body } = await graph.graphql(
      'query($codes: [ID!]!) { creditChecks(codes: $codes, scenario: PUBLIC_RESOURCE_TRADING) { checkId code verdict missingSources } }',
      { codes },
    );
    expect(body.errors).toBeUndefined();
    const results = body.data.creditChecks;
    expect(results.map((r: { code: string }) => r.code)).toEqual(codes);
    expect(new Set(results.map((r: { checkId: string }) => r.checkId)).size).toBe(1000);
    expect(results.every((r: { verdict: string; missingSources: string[] }) => r.verdict !== 'INCONCLUSIVE' && r.missingSources.length === 0)).toBe(true);
    // Most bidders are clean; some are barred.
    const verdicts = results.map((r: { verdict: string }) => r.verdict);
    expect(verdicts.filter((v: string) => v === 'CLEAR').length).toBeGreaterThan(700);
    expect(verdicts).toContain('PROHIBITED');
    const decided = await db.query('SELECT count(*)::int AS n FROM credit.credit_check WHERE check_id = ANY($1::uuid[]) AND verdict IS NOT NULL', [
      results.map((r: { checkId: string }) => r.checkId),
    ]);
    expect(decided.rows[0].n).toBe(1000);
  });

  it('refuses an invalid code in a batch, naming it, and records nothing', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM credit.credit_check')).rows[0].n;
    const codes = [PLANNED_CODES[0], 'NOT-A-CODE'];
    const { body } = await graph.graphql('query($codes: [ID!]!) { creditChecks(codes: $codes, scenario: FISCAL_SUPPORT) { checkId } }', { codes });
    expect(body.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', index: 1 }));
    expect((await db.query('SELECT count(*)::int AS n FROM credit.credit_check')).rows[0].n).toBe(before);
  });

  describe('workflows through the gateway', () => {
    const gql = async (query: string, variables: Record<string, unknown>) => (await graph.graphql(query, variables)).body;
    const FILE = 'mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id status verifyBy overdue } }';
    const VERIFY = 'mutation($id: ID!, $outcome: ObjectionOutcome!, $correction: RecordCorrection) { verifyObjection(id: $id, outcome: $outcome, note: "checked with the court", correction: $correction) { id status outcome } }';
    const debtorRecord = async (code: string) => {
      const body = await gql('query($c: ID!) { subject(code: $c) { courts { dishonestDebtors { recordId removedOn } } } }', { c: code });
      return body.data.subject.courts.dishonestDebtors.find((r: { removedOn: string | null }) => r.removedOn === null).recordId as string;
    };
    const courtMeasures = (result: { measures: { trigger: string; suspended: boolean }[] }) =>
      result.measures.filter((m) => m.trigger === 'DISHONEST_JUDGMENT_DEBTOR');

    it('suspends the punishments of a disputed record at once, resumes them when the objection is rejected, and ends them when upheld', async () => {
      const code = graph.seeded.examples.dishonestDebtor;
      const recordId = await debtorRecord(code);
      const objection = { subjectCode: code, department: 'COURTS', recordId, reason: '已全部履行，申请核实', idempotencyKey: `e2e-objection-1-${code}` };

      const filed = await gql(FILE, { input: objection });
      expect(filed.errors).toBeUndefined();
      expect(filed.data.fileObjection).toEqual(expect.objectContaining({ status: 'OPEN', overdue: false }));
      const disputed = (await check(code, 'PUBLIC_RESOURCE_TRADING')).data.creditCheck;
      expect(courtMeasures(disputed).length).toBeGreaterThan(0);
      expect(courtMeasures(disputed).every((m) => m.suspended)).toBe(true);
      expect(disputed.verdict).not.toBe('PROHIBITED');

      const rejected = await gql(VERIFY, { id: filed.data.fileObjection.id, outcome: 'REJECTED' });
      expect(rejected.data.verifyObjection.status).toBe('REJECTED');
      // Resolving it again is not a valid transition, and changes nothing.
      const twice = await gql(VERIFY, { id: filed.data.fileObjection.id, outcome: 'UPHELD', correction: 'REVOKED' });
      expect(twice.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' }));
      const resumed = (await check(code, 'PUBLIC_RESOURCE_TRADING')).data.creditCheck;
      expect(resumed.verdict).toBe('PROHIBITED');
      expect(courtMeasures(resumed).every((m) => !m.suspended)).toBe(true);

      const again = await gql(FILE, { input: { ...objection, idempotencyKey: `e2e-objection-2-${code}` } });
      await gql(VERIFY, { id: again.data.fileObjection.id, outcome: 'UPHELD', correction: 'REVOKED' });
      const revoked = (await check(code, 'PUBLIC_RESOURCE_TRADING')).data.creditCheck;
      expect(courtMeasures(revoked)).toEqual([]);
      const lists = await gql('query($c: ID!) { subject(code: $c) { lists { department sourceRecord until } } }', { c: code });
      expect(lists.data.subject.lists.find((e: { sourceRecord: string }) => e.sourceRecord === recordId).until).not.toBeNull();
    });

    it('repairs a published penalty once: eligible after the minimum period, approved, then triggering nothing', async () => {
      const { body } = await graph.graphql(
        'query($codes: [ID!]!) { subjects(codes: $codes) { code market { penalties { recordId area serious publishedOn publicationEndsOn } } } }',
        { codes: PLANNED_CODES.slice(0, 1000) },
      );
      const today = new Date().toISOString().slice(0, 10);
      // Ordinary penalties may be repaired three months after publication (a year in special equipment, work and fire safety).
      const fourMonthsAgo = new Date(Date.now() - 122 * 86_400_000).toISOString().slice(0, 10);
      const special = ['SPECIAL_EQUIPMENT', 'WORK_SAFETY', 'FIRE_SAFETY'];
      const candidates = body.data.subjects.flatMap((s: { code: string; market: { penalties: any[] } }) =>
        s.market.penalties
          .filter((p) => !p.serious && !special.includes(p.area) && p.publishedOn && p.publishedOn < fourMonthsAgo && p.publicationEndsOn > today)
          .map((p) => ({ code: s.code, ...p })),
      );
      expect(candidates.length).toBeGreaterThan(0);
      const penalty = candidates[0];
      const before = (await check(penalty.code, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
      const appliedFor = (result: { measures: { triggers: { recordId: string }[] }[] }) => result.measures.some((m) => m.triggers.some((t) => t.recordId === penalty.recordId));
      expect(appliedFor(before)).toBe(true);

      const APPLY = 'mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id status eligibleFrom } }';
      const DECIDE = 'mutation($id: ID!) { decideRepair(id: $id, approve: true, note: "整改到位") { id status } }';
      const input = {
        subjectCode: penalty.code,
        department: 'MARKET',
        recordId: penalty.recordId,
        recordKind: 'ADMINISTRATIVE_PENALTY',
        publishedOn: penalty.publishedOn,
        rectification: ['COMMITMENT', 'RECTIFICATION'],
        idempotencyKey: `e2e-repair-${penalty.recordId}`,
      };
      const applied = await gql(APPLY, { input });
      expect(applied.errors).toBeUndefined();
      expect(applied.data.applyForRepair.status).toBe('PENDING');
      const approved = await gql(DECIDE, { id: applied.data.applyForRepair.id });
      expect(approved.data.decideRepair.status).toBe('APPROVED');
      // The same decision again is a retry (the same answer); a rejection of the approved application is refused.
      expect((await gql(DECIDE, { id: applied.data.applyForRepair.id })).data.decideRepair).toEqual(approved.data.decideRepair);
      const REJECT = 'mutation($id: ID!) { decideRepair(id: $id, approve: false, note: "整改到位") { id status } }';
      expect((await gql(REJECT, { id: applied.data.applyForRepair.id })).errors![0].extensions.reason).toBe('INVALID_TRANSITION');
      // A repaired record is withdrawn: it is not repaired twice.
      const twice = await gql(APPLY, { input: { ...input, idempotencyKey: `e2e-repair-again-${penalty.recordId}` } });
      expect(twice.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_WITHDRAWN', withdrawal: 'REPAIRED' }));

      const after = (await check(penalty.code, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
      expect(appliedFor(after)).toBe(false);
    });

    it('counts a retried feedback submission once', async () => {
      const result = (await check(graph.seeded.examples.majorTaxViolation, 'PUBLIC_RESOURCE_TRADING')).data.creditCheck;
      const measure = result.measures.find((m: { kind: string }) => m.kind === 'PUNISHMENT');
      const SUBMIT = 'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id checkId measureCode action } }';
      const input = { checkId: result.checkId, measureCode: measure.code, department: '市公共资源交易中心', action: 'APPLIED', idempotencyKey: `e2e-feedback-${result.checkId}` };
      const [first, retry] = await Promise.all([gql(SUBMIT, { input }), gql(SUBMIT, { input })]);
      expect(first.errors).toBeUndefined();
      expect(retry.data.submitFeedback).toEqual(first.data.submitFeedback);
      const feedback = await gql('query($id: ID!) { checkFeedback(checkId: $id) { id action } }', { id: result.checkId });
      expect(feedback.data.checkFeedback).toHaveLength(1);
      const stored = await db.query('SELECT count(*)::int AS n FROM credit.feedback WHERE idempotency_key = $1', [input.idempotencyKey]);
      expect(stored.rows[0].n).toBe(1);
    });
  });

  describe('the credit office through the gateway', () => {
    const gql = async (query: string, variables: Record<string, unknown> = {}) => (await graph.graphql(query, variables)).body;

    it('serves the measures catalogue as versioned data, and checks record the version they used', async () => {
      const body = await gql('{ measureCatalogue { version measures(scenario: PUBLIC_RESOURCE_TRADING, kind: PUNISHMENT) { code mandatory effect triggers legalBasis } } }');
      expect(body.errors).toBeUndefined();
      const catalogue = body.data.measureCatalogue;
      expect(catalogue.measures.length).toBeGreaterThan(0);
      expect(catalogue.measures).toContainEqual(expect.objectContaining({ effect: 'PROHIBIT', mandatory: true, triggers: expect.arrayContaining(['DISHONEST_JUDGMENT_DEBTOR']) }));
      const result = (await check(graph.seeded.examples.clean, 'FISCAL_SUPPORT')).data.creditCheck;
      expect(result.catalogueVersion).toBe(catalogue.version);
    });

    it('takes a court determination onto the black list after a clean check, bars the next check, and ends it again', async () => {
      const code = graph.seeded.examples.clean;
      const caseNumber = '（2026）闽0102执900号';
      const sourceRecord = `dishonest_debtor/${code}/${caseNumber}`;
      const PUBLISH = 'mutation($input: PublishListEntryInput!) { publishListEntry(input: $input) { kind department since until } }';
      const bidding = async () => (await check(code, 'PUBLIC_RESOURCE_TRADING', graph.as('TRADING_PLATFORM', 'bidding round 2026-12'))).data.creditCheck;
      expect(['CLEAR', 'INCENTIVE']).toContain((await bidding()).verdict);
      // A determination the court does not hold is refused, and changes nothing.
      const forged = await gql(PUBLISH, { input: { code, kind: 'BLACK', department: 'COURTS', sourceRecord, reason: '失信被执行人', since: '2026-01-05' } });
      expect(forged.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_NOT_FOUND' }));
      const wrongList = await gql(PUBLISH, { input: { code, kind: 'RED', department: 'COURTS', sourceRecord, reason: '失信被执行人', since: '2026-01-05' } });
      expect(wrongList.errors![0].extensions.reason).toBe('NO_LIST_RULE');
      // The court lists the subject; its determination reaches the list; the next check bars the bidder, once per measure.
      await db.query(
        `INSERT INTO courts.dishonest_debtor (subject_code, case_number, court, basis_document, obligation, performance_status, dishonest_conduct, listed_on, removed_on)
         VALUES ($1, $2, '福州市鼓楼区人民法院', '（2025）闽0102民初1号判决书', '支付货款', 'NOT_PERFORMED', '有履行能力而拒不履行', '2026-01-05', NULL)`,
        [code, caseNumber],
      );
      const published = await gql(PUBLISH, { input: { code, kind: 'BLACK', department: 'COURTS', sourceRecord, reason: '失信被执行人', since: '2026-01-05' } });
      expect(published.errors).toBeUndefined();
      const lists = async () => (await gql('query($c: ID!) { subject(code: $c) { lists { sourceRecord until } creditGrade } }', { c: code })).data.subject;
      expect(await lists()).toEqual({ lists: expect.arrayContaining([{ sourceRecord, until: null }]), creditGrade: 'D' });
      const barred = await bidding();
      expect(barred.verdict).toBe('PROHIBITED');
      const bar = barred.measures.filter((m: { code: string }) => m.code === 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING');
      expect(bar).toHaveLength(1);
      expect(bar[0]).toEqual(expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR', initiatingDepartment: 'COURTS', recordId: sourceRecord }));
      const licensing = (await check(code, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
      expect(licensing.verdict).toBe('PROHIBITED');
      expect(licensing.measures.filter((m: { kind: string }) => m.kind === 'INCENTIVE')).toEqual([]);
      // The court removes the debtor and ends the entry: the check follows at once.
      // An entry ends today or later (an end in the past is refused: it would rewrite history).
      const today = todayInChina();
      await db.query(`UPDATE courts.dishonest_debtor SET removed_on = $3::date WHERE subject_code = $1 AND case_number = $2`, [code, caseNumber, today]);
      const ended = await gql('mutation($input: EndListEntryInput!) { endListEntry(input: $input) { until } }', {
        input: { kind: 'BLACK', department: 'COURTS', sourceRecord, until: today },
      });
      expect(ended.data.endListEntry.until).toBe(today);
      expect((await lists()).lists).toContainEqual({ sourceRecord, until: today });
      expect(['CLEAR', 'INCENTIVE']).toContain((await bidding()).verdict);
    });

    it('gives a checksum-valid code nobody registered no incentive, and says it is not registered', async () => {
      const unknown = '91350100M000100Y43';
      expect(PLANNED_CODES).not.toContain(unknown);
      const result = (await check(unknown, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
      expect(result).toEqual(expect.objectContaining({ verdict: 'CLEAR', registered: false, measures: [] }));
    });

    it('reads a past check back by its id: inputs, catalogue version, verdict and measures', async () => {
      const result = (await check(graph.seeded.examples.majorTaxViolation, 'FISCAL_SUPPORT', graph.as('CREDIT_OFFICE', 'review 2026-77'))).data.creditCheck;
      const { body } = await graph.graphql(
        'query($id: ID!) { creditCheckRecord(checkId: $id) { checkId code scenario requesterRole purpose verdict catalogueVersion measures { code triggers { trigger } } } }',
        { id: result.checkId },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.creditCheckRecord).toEqual(
        expect.objectContaining({ checkId: result.checkId, code: result.code, scenario: 'FISCAL_SUPPORT', requesterRole: 'CREDIT_OFFICE', purpose: 'review 2026-77', verdict: result.verdict, catalogueVersion: result.catalogueVersion }),
      );
      expect(body.data.creditCheckRecord.measures.map((m: { code: string }) => m.code)).toEqual(result.measures.map((m: { code: string }) => m.code));
      // Another client does not read it.
      const other = await graph.graphql('query($id: ID!) { creditCheckRecord(checkId: $id) { checkId } }', { id: result.checkId }, graph.as('TRADING_PLATFORM'));
      expect(other.body.data.creditCheckRecord).toBeNull();
    });

    it('puts a subject that breaks its credit commitment on the black list, and the next check bars it', async () => {
      const code = PLANNED_CODES[5]!;
      const made = await gql(
        'mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }',
        { input: { subjectCode: code, scenario: 'PUBLIC_RESOURCE_TRADING', content: '承诺投标材料真实有效', idempotencyKey: `e2e-commitment-${code}` } },
      );
      expect(made.errors).toBeUndefined();
      const breach = 'mutation($id: ID!) { reportCommitmentBreach(id: $id, department: CREDIT_OFFICE, note: "提供虚假业绩材料") { id status breachedOn } }';
      const breached = (await gql(breach, { id: made.data.recordCommitment.id })).data.reportCommitmentBreach;
      expect(breached.status).toBe('BREACHED');
      // The same report again (a retry) answers the breach recorded, and breaches nothing twice; another note is a different transition.
      const again = await gql(breach, { id: made.data.recordCommitment.id });
      expect(again.errors).toBeUndefined();
      expect(again.data.reportCommitmentBreach).toEqual(breached);
      const other = await gql('mutation($id: ID!) { reportCommitmentBreach(id: $id, department: CREDIT_OFFICE, note: "另一说明") { id } }', { id: made.data.recordCommitment.id });
      expect(other.errors![0].extensions.reason).toBe('INVALID_TRANSITION');
      const lists = (await gql('query($c: ID!) { subject(code: $c) { lists { kind department until } } }', { c: code })).data.subject.lists;
      // Every punishment has an exit: three years from the breach unless repaired or revoked first.
      expect(lists).toContainEqual({ kind: 'BLACK', department: 'CREDIT_OFFICE', until: addYears(breached.breachedOn, 3) });
      expect(lists.filter((e: { kind: string; department: string }) => e.kind === 'BLACK' && e.department === 'CREDIT_OFFICE')).toHaveLength(1);
      const result = (await check(code, 'PUBLIC_RESOURCE_TRADING')).data.creditCheck;
      expect(result.verdict).toBe('PROHIBITED');
      expect(result.measures).toContainEqual(expect.objectContaining({ trigger: 'COMMITMENT_BREACH', initiatingDepartment: 'CREDIT_OFFICE' }));
    });

    it("gives a legal representative the person-level measures of the black-listed entity they represent", async () => {
      // (The dishonest-debtor example's court record was revoked by the objection test above.)
      const entity = graph.seeded.examples.majorTaxViolation;
      const person = await db.query('SELECT legal_rep_id FROM market.registration WHERE subject_code = $1', [entity]);
      // Registering as someone's legal representative is a licensing matter: the person is barred from the post.
      const result = (await check(person.rows[0].legal_rep_id, 'ADMINISTRATIVE_LICENSING')).data.creditCheck;
      expect(result.measures).toContainEqual(
        expect.objectContaining({ trigger: 'REPRESENTS_BLACKLISTED_ENTITY', recordSubjectCode: entity, initiatingDepartment: 'TAX', appliesTo: 'SUBJECT' }),
      );
      expect(result.verdict).toBe('PROHIBITED');
      // In every scenario the catalogue names a person-level measure for, and the person's subject shows why.
      expect((await check(person.rows[0].legal_rep_id, 'HONORS_AND_AWARDS')).data.creditCheck).toEqual(
        expect.objectContaining({ verdict: 'PROHIBITED', measures: [expect.objectContaining({ code: 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED', recordSubjectCode: entity })] }),
      );
      const why = await gql('query($c: ID!) { subject(code: $c) { representedEntityEntries { code kind department } } }', { c: person.rows[0].legal_rep_id });
      expect(why.data.subject.representedEntityEntries).toContainEqual({ code: entity, kind: 'BLACK', department: 'TAX' });
    });

    it('reaches the representative of an entity black-listed by tax, environment or market supervision in every scenario, and of one a court record black-lists before anyone published it', async () => {
      const PERSON_LEVEL: Record<string, string> = {
        ADMINISTRATIVE_LICENSING: 'P_NO_SENIOR_POST',
        PUBLIC_RESOURCE_TRADING: 'P_RESPONSIBLE_PERSONS_TRADING_RESTRICTION',
        FINANCIAL_SERVICES: 'P_RESPONSIBLE_PERSONS_FINANCING_CAUTION',
        FISCAL_SUPPORT: 'P_RESPONSIBLE_PERSONS_FISCAL_SUPPORT_RESTRICTION',
        HONORS_AND_AWARDS: 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED',
        REGULATORY_INSPECTION: 'P_RESPONSIBLE_PERSONS_FOCUSED_SUPERVISION',
      };
      // A registered entity nothing lists, whose representative represents nothing else: a court lists it as a debtor, nobody publishes it.
      const [quiet] = (
        await db.query(
          `SELECT r.subject_code AS code FROM market.registration r
            WHERE r.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM credit.list_entry e WHERE e.subject_code IN (r.subject_code, r.legal_rep_id))
              AND NOT EXISTS (SELECT 1 FROM market.registration o WHERE o.legal_rep_id = r.legal_rep_id AND o.subject_code <> r.subject_code)
              AND NOT EXISTS (SELECT 1 FROM courts.dishonest_debtor d WHERE d.subject_code IN (r.subject_code, r.legal_rep_id))
            ORDER BY r.subject_code LIMIT 1`,
        )
      ).rows;
      await db.query(
        `INSERT INTO courts.dishonest_debtor (subject_code, case_number, court, basis_document, obligation, performance_status, dishonest_conduct, listed_on, removed_on)
         VALUES ($1, '（2026）闽0102执901号', '福州市鼓楼区人民法院', '判决书', '支付货款', 'NOT_PERFORMED', '拒不履行', '2026-02-01', NULL)`,
        [quiet.code],
      );
      const cases = [
        [graph.seeded.examples.majorTaxViolation, 'TAX'],
        [graph.seeded.examples.environmentalBlack, 'ENVIRONMENT'],
        [graph.seeded.examples.seriousViolation, 'MARKET'],
        [quiet.code, 'COURTS'],
      ];
      for (const [entity, department] of cases) {
        // The entity's own licensing check shows the bar that falls on its representative, whoever black-listed it (catalogue version 5).
        expect((await check(entity, 'ADMINISTRATIVE_LICENSING')).data.creditCheck.measures).toContainEqual(
          expect.objectContaining({ code: 'P_NO_SENIOR_POST', initiatingDepartment: department, recordSubjectCode: entity, appliesTo: 'LEGAL_REPRESENTATIVE' }),
        );
        const person = (await db.query('SELECT legal_rep_id FROM market.registration WHERE subject_code = $1', [entity])).rows[0].legal_rep_id;
        for (const [scenario, personLevel] of Object.entries(PERSON_LEVEL)) {
          const result = (await check(person, scenario)).data.creditCheck;
          expect([entity, scenario, ['RESTRICTED', 'PROHIBITED'].includes(result.verdict)]).toEqual([entity, scenario, true]);
          expect(result.measures).toContainEqual(
            expect.objectContaining({ code: personLevel, trigger: 'REPRESENTS_BLACKLISTED_ENTITY', initiatingDepartment: department, recordSubjectCode: entity, appliesTo: 'SUBJECT' }),
          );
        }
      }
    });

    it('restricts an organisation whose legal representative is a dishonest judgment debtor in person, in every scenario, and rewards it with nothing', async () => {
      // Found by a black-box review: such companies got the green channel and 容缺受理 in licensing.
      const [quiet] = (
        await db.query(
          `SELECT r.subject_code AS code, r.legal_rep_id AS person FROM market.registration r
            WHERE r.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM credit.list_entry e WHERE e.subject_code IN (r.subject_code, r.legal_rep_id))
              AND NOT EXISTS (SELECT 1 FROM courts.dishonest_debtor d WHERE d.subject_code IN (r.subject_code, r.legal_rep_id))
              AND NOT EXISTS (SELECT 1 FROM courts.consumption_restriction_order c WHERE r.legal_rep_id IN (c.subject_code, c.restricted_person_id))
            ORDER BY r.subject_code DESC LIMIT 1`,
        )
      ).rows;
      const before: string[] = [];
      for (const scenario of SCENARIOS) {
        const body = await check(quiet.code, scenario);
        expect(body.errors).toBeUndefined();
        before.push(body.data.creditCheck.verdict);
      }
      expect(before.filter((verdict) => verdict === 'RESTRICTED' || verdict === 'PROHIBITED')).toEqual([]);
      await db.query(
        `INSERT INTO courts.dishonest_debtor (subject_code, case_number, court, basis_document, obligation, performance_status, dishonest_conduct, listed_on, removed_on)
         VALUES ($1, '（2026）闽0102执907号', '福州市鼓楼区人民法院', '判决书', '支付借款', 'NOT_PERFORMED', '拒不履行', '2026-03-01', NULL)`,
        [quiet.person],
      );
      // Whoever asks: an approval system and a bidding platform read the representative's number masked, the check does not
      // (found by a second black-box review: they were answered INCENTIVE where the credit office got RESTRICTED).
      const roles = ['CREDIT_OFFICE', 'APPROVAL_SYSTEM', 'TRADING_PLATFORM', 'FINANCIAL_INSTITUTION'] as const;
      let asked = 0;
      for (const [scenario, role] of SCENARIOS.flatMap((scenario) => roles.map((role) => [scenario, role] as const))) {
        const body = await check(quiet.code, scenario, graph.as(role, `check 2026-91 ${role}`));
        if (body.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === 'FORBIDDEN')) continue; // a scenario the role may not check
        asked += 1;
        const result = body.data.creditCheck;
        expect([scenario, role, result.verdict]).toEqual([scenario, role, 'RESTRICTED']);
        expect(result.measures.filter((m: { kind: string }) => m.kind === 'INCENTIVE')).toEqual([]);
        expect(result.measures).toContainEqual(
          expect.objectContaining({ trigger: 'DISHONEST_JUDGMENT_DEBTOR', initiatingDepartment: 'COURTS', appliesTo: 'LEGAL_REPRESENTATIVE' }),
        );
      }
      expect(asked).toBeGreaterThan(SCENARIOS.length * 2);
    });

    it('puts tax rating D on the key-attention list, and a 守合同重信用 recognition on the red list with the red-list incentives', async () => {
      const keyAttention = await gql('{ listEntries(kind: KEY_ATTENTION, department: TAX, first: 100) { nodes { code sourceRecord } } }');
      const rated = keyAttention.data.listEntries.nodes.filter((e: { sourceRecord: string }) => e.sourceRecord.startsWith('tax_credit_rating/'));
      expect(rated.length).toBeGreaterThan(0);
      const levels = await db.query(`SELECT level FROM tax.tax_credit_rating WHERE 'tax_credit_rating/' || subject_code || '/' || year = ANY($1::text[])`, [rated.map((e: { sourceRecord: string }) => e.sourceRecord)]);
      expect(new Set(levels.rows.map((r: { level: string }) => r.level))).toEqual(new Set(['D']));

      // (The clean example's court record, listed and removed above, ended before this.)
      const code = graph.seeded.examples.clean;
      await db.query(
        `INSERT INTO market.contract_honouring_recognition (subject_code, year, authority, recognised_on, valid_until) VALUES ($1, 2025, '福州市市场监督管理局', '2026-03-01', '2027-12-31')`,
        [code],
      );
      const PUBLISH = 'mutation($input: PublishListEntryInput!) { publishListEntry(input: $input) { kind since until } }';
      const input = { code, kind: 'RED', department: 'MARKET', sourceRecord: `contract_honouring_recognition/${code}/2025`, reason: '2025年度“守合同重信用”企业' };
      // Not before the recognition, and not in advance.
      expect((await gql(PUBLISH, { input: { ...input, since: '2026-02-01' } })).errors![0].extensions.reason).toBe('SINCE_BEFORE_RECORD');
      expect((await gql(PUBLISH, { input: { ...input, since: '2099-01-01' } })).errors![0].extensions.reason).toBe('SINCE_IN_FUTURE');
      expect((await gql(PUBLISH, { input: { ...input, since: '2026-03-01' } })).data.publishListEntry).toEqual({ kind: 'RED', since: '2026-03-01', until: '2028-01-01' });
      const red = await gql('{ listEntries(kind: RED, department: MARKET, first: 100) { nodes { code sourceRecord } } }');
      expect(red.data.listEntries.nodes).toContainEqual({ code, sourceRecord: input.sourceRecord });
      const result = (await check(code, 'PUBLIC_RESOURCE_TRADING')).data.creditCheck;
      expect(result.verdict).toBe('INCENTIVE');
      expect(result.measures).toContainEqual(expect.objectContaining({ code: 'I_TRADING_CREDIT_BONUS', trigger: 'CONTRACT_HONOURING', initiatingDepartment: 'MARKET' }));
    });

    it('gives a deregistered or revoked subject no green channel, whatever its rating', async () => {
      const code = graph.seeded.examples.redList;
      expect((await check(code, 'ADMINISTRATIVE_LICENSING')).data.creditCheck.verdict).toBe('INCENTIVE');
      for (const status of ['DEREGISTERED', 'REVOKED']) {
        await db.query('UPDATE market.registration SET status = $2 WHERE subject_code = $1', [code, status]);
        expect((await check(code, 'ADMINISTRATIVE_LICENSING')).data.creditCheck).toEqual(expect.objectContaining({ verdict: 'CLEAR', registered: true, measures: [] }));
      }
      await db.query(`UPDATE market.registration SET status = 'ACTIVE' WHERE subject_code = $1`, [code]);
    });

    it('draws the same spot-check sample for the same seed, weighted to worse grades', async () => {
      const query = 'query($p: [ID!]!, $seed: String!) { spotCheckSample(population: $p, size: 100, seed: $seed) { selected { code grade } byGrade { grade population selected } } }';
      const population = PLANNED_CODES.slice(0, 2000);
      const first = (await gql(query, { p: population, seed: '2026-Q4' })).data.spotCheckSample;
      const again = (await gql(query, { p: [...population].reverse(), seed: '2026-Q4' })).data.spotCheckSample;
      const other = (await gql(query, { p: population, seed: '2027-Q1' })).data.spotCheckSample;
      expect(again.selected).toEqual(first.selected);
      expect(other.selected).not.toEqual(first.selected);
      const share = (grade: string) => {
        const row = first.byGrade.find((g: { grade: string }) => g.grade === grade);
        return row && row.population > 0 ? row.selected / row.population : 0;
      };
      expect(share('D')).toBeGreaterThan(share('B'));
    });

    it('counts checks, hits and applied measures per department for the period', async () => {
      const year = new Date().toISOString().slice(0, 4);
      const body = await gql('query($from: String!, $to: String!) { creditStatistics(from: $from, to: $to) { checksTotal hits byDepartment { department measuresApplied measuresFedBack } } }', {
        from: `${year}-01-01`,
        to: `${year}-12-31`,
      });
      expect(body.errors).toBeUndefined();
      const stats = body.data.creditStatistics;
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM credit.credit_check')).rows;
      expect(stats.checksTotal).toBe(n);
      expect(stats.hits).toBeGreaterThan(0);
      expect(stats.byDepartment.find((d: { department: string }) => d.department === 'COURTS').measuresApplied).toBeGreaterThan(0);
      expect(stats.byDepartment.some((d: { measuresFedBack: number }) => d.measuresFedBack > 0)).toBe(true);
    });
  });

  it('fails closed when a department process is stopped: INCONCLUSIVE, naming the department', async () => {
    await graph.graph.stopService('courts');
    const { body } = await graph.graphql(CHECK, { code: graph.seeded.examples.clean, scenario: 'PUBLIC_RESOURCE_TRADING' });
    const result = body.data.creditCheck;
    expect(result.verdict).toBe('INCONCLUSIVE');
    expect(result.missingSources).toEqual(['COURTS']);
    expect(body.errors).toContainEqual(expect.objectContaining({ extensions: expect.objectContaining({ code: 'DEPARTMENT_UNAVAILABLE', department: 'COURTS' }) }));
    const recorded = await db.query('SELECT verdict, missing_sources FROM credit.credit_check WHERE check_id = $1', [result.checkId]);
    expect(recorded.rows).toEqual([{ verdict: 'INCONCLUSIVE', missing_sources: ['COURTS'] }]);

    // A subject already barred by another department's record stays barred: nothing missing could make it worse.
    const barred = (await graph.graphql(CHECK, { code: graph.seeded.examples.majorTaxViolation, scenario: 'PUBLIC_RESOURCE_TRADING' })).body.data.creditCheck;
    expect(barred).toEqual(expect.objectContaining({ verdict: 'PROHIBITED', missingSources: ['COURTS'] }));

    // Market supervision down too: a code nobody else knows is neither registered nor unregistered, and a red-list subject gets no incentive.
    await graph.graph.stopService('market');
    const unknown = (await graph.graphql(CHECK, { code: '91350100M000100Y43', scenario: 'ADMINISTRATIVE_LICENSING' })).body.data.creditCheck;
    expect(unknown).toEqual(expect.objectContaining({ verdict: 'INCONCLUSIVE', registered: null, missingSources: ['MARKET', 'COURTS'], measures: [] }));
    const red = (await graph.graphql(CHECK, { code: graph.seeded.examples.redList, scenario: 'ADMINISTRATIVE_LICENSING' })).body.data.creditCheck;
    expect(red).toEqual(expect.objectContaining({ verdict: 'INCONCLUSIVE', registered: true, measures: [] }));
  });
});
