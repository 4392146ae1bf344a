import crypto from 'node:crypto';
import { creditSubgraph } from '../../subgraphs/credit';
import { buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';
import { verifyBy } from '../../subgraphs/credit/policy/objection';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(50000000 + n).slice(0, 8) });

const STATISTICS = `query($from: String!, $to: String!) {
  creditStatistics(from: $from, to: $to) {
    from to checksTotal hits
    checks { scenario verdict count }
    byDepartment { department measuresApplied measuresFedBack feedbackReports objectionsFiled objectionsOpen objectionsOverdue }
  }
}`;

const ZERO = { measuresApplied: 0, measuresFedBack: 0, feedbackReports: 0, objectionsFiled: 0, objectionsOpen: 0, objectionsOverdue: 0 };

describe('credit statistics', () => {
  let subgraph: SubgraphUnderTest;
  const today = todayInChina();
  const ids: Record<string, string> = {};

  async function check(name: string, scenario: string, verdict: string | null, requestedAt: string) {
    ids[name] = crypto.randomUUID();
    await subgraph.db.query(
      `INSERT INTO credit_check (check_id, subject_code, scenario, requested_at, decided_at, verdict)
       VALUES ($1, $2, $3, $4::timestamptz, CASE WHEN $5::text IS NULL THEN NULL ELSE $4::timestamptz END, $5)`,
      [ids[name], code(Object.keys(ids).length), scenario, requestedAt, verdict],
    );
  }
  async function measure(checkName: string, measureCode: string, department: string) {
    await subgraph.db.query(
      `INSERT INTO applied_measure (check_id, measure_code, trigger, initiating_department, record_id, record_subject_code)
       VALUES ($1, $2, 'TEST', $3, $4, $5)`,
      [ids[checkName], measureCode, department, `test/${checkName}/${measureCode}`, code(0)],
    );
  }
  let feedbackKey = 0;
  async function feedback(checkName: string, measureCode: string, department: string) {
    await subgraph.db.query(
      `INSERT INTO feedback (idempotency_key, request_fingerprint, check_id, measure_code, department, action)
       VALUES ($1, 'f', $2, $3, $4, 'APPLIED')`,
      [`fb-${feedbackKey++}`, ids[checkName], measureCode, department],
    );
  }
  let objectionKey = 0;
  async function objection(department: string, status: 'OPEN' | 'UPHELD' | 'REJECTED', filedAt: string) {
    const key = objectionKey++;
    await subgraph.db.query(
      `INSERT INTO objection (idempotency_key, request_fingerprint, subject_code, department, record_id, reason, status, filed_at, resolved_at, correction, verify_by)
       VALUES ($1, 'f', $2, $3, $4, 'wrong', $5, $6::timestamptz,
               CASE WHEN $5 = 'OPEN' THEN NULL ELSE $6::timestamptz END, CASE WHEN $5 = 'UPHELD' THEN 'REVOKED' END, $7::date)`,
      // The deadline as fileObjection writes it (policy/objection.ts), from the China date of filing.
      [`ob-${key}`, code(100 + key), department, `test/objection/${key}`, status, filedAt, verifyBy(todayInChina(new Date(filedAt)))],
    );
  }

  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
    // March 2025 (China dates). The first and last check fall on the period's edges in China but outside it in UTC.
    await check('c1', 'ADMINISTRATIVE_LICENSING', 'PROHIBITED', '2025-03-01T00:30:00+08:00');
    await check('c2', 'ADMINISTRATIVE_LICENSING', 'CLEAR', '2025-03-15T10:00:00+08:00');
    await check('c3', 'PUBLIC_RESOURCE_TRADING', 'RESTRICTED', '2025-03-31T23:30:00+08:00');
    await check('c4', 'PUBLIC_RESOURCE_TRADING', 'INCENTIVE', '2025-03-10T09:00:00+08:00');
    await check('c5', 'FINANCIAL_SERVICES', null, '2025-03-20T09:00:00+08:00');
    await check('c6', 'ADMINISTRATIVE_LICENSING', 'INCONCLUSIVE', '2025-03-21T09:00:00+08:00');
    await check('c7', 'ADMINISTRATIVE_LICENSING', 'PROHIBITED', '2025-03-22T09:00:00+08:00');
    // Outside: the last minute of February and the first of April in China.
    await check('before', 'ADMINISTRATIVE_LICENSING', 'PROHIBITED', '2025-02-28T23:59:00+08:00');
    await check('after', 'ADMINISTRATIVE_LICENSING', 'RESTRICTED', '2025-04-01T00:00:00+08:00');

    await measure('c1', 'P01', 'COURTS');
    await measure('c1', 'P02', 'COURTS');
    await measure('c1', 'P03', 'TAX');
    await measure('c3', 'P04', 'MARKET');
    await measure('c4', 'I01', 'TAX');
    await measure('c7', 'P01', 'ENVIRONMENT');
    await measure('before', 'P01', 'COURTS');
    await measure('after', 'P04', 'MARKET');

    await feedback('c1', 'P01', '发展改革委');
    await feedback('c1', 'P01', '财政部门');
    await feedback('c1', 'P03', '财政部门');
    await feedback('before', 'P01', '财政部门');
    await feedback('after', 'P04', '财政部门');

    await objection('COURTS', 'OPEN', '2025-03-05T10:00:00+08:00');
    await objection('COURTS', 'UPHELD', '2025-03-06T10:00:00+08:00');
    await objection('TAX', 'OPEN', '2025-03-31T23:00:00+08:00');
    await objection('MARKET', 'OPEN', '2025-04-01T00:10:00+08:00');
    // Recent ones: open within the 20 days, so not overdue.
    await objection('MARKET', 'OPEN', new Date(Date.now() - 2 * 86_400_000).toISOString());
    await objection('MARKET', 'REJECTED', new Date(Date.now() - 2 * 86_400_000).toISOString());
  });
  afterAll(() => subgraph?.close());

  it('counts checks per scenario and verdict, hits, and per department measures, feedback and objections of March', async () => {
    const { result, statements } = await countQueries(subgraph.db, () => subgraph.graphql(STATISTICS, { from: '2025-03-01', to: '2025-03-31' }));
    expect(result.errors).toBeUndefined();
    expect(statements.length).toBeLessThanOrEqual(3);
    const stats = result.data.creditStatistics;
    expect(stats).toEqual({
      from: '2025-03-01',
      to: '2025-03-31',
      checksTotal: 7,
      hits: 4, // PROHIBITED ×2, RESTRICTED, INCENTIVE
      checks: [
        { scenario: 'ADMINISTRATIVE_LICENSING', verdict: 'CLEAR', count: 1 },
        { scenario: 'ADMINISTRATIVE_LICENSING', verdict: 'INCONCLUSIVE', count: 1 },
        { scenario: 'ADMINISTRATIVE_LICENSING', verdict: 'PROHIBITED', count: 2 },
        { scenario: 'FINANCIAL_SERVICES', verdict: null, count: 1 },
        { scenario: 'PUBLIC_RESOURCE_TRADING', verdict: 'INCENTIVE', count: 1 },
        { scenario: 'PUBLIC_RESOURCE_TRADING', verdict: 'RESTRICTED', count: 1 },
      ],
      byDepartment: [
        { department: 'MARKET', ...ZERO, measuresApplied: 1 },
        { department: 'TAX', ...ZERO, measuresApplied: 2, measuresFedBack: 1, feedbackReports: 1, objectionsFiled: 1, objectionsOpen: 1, objectionsOverdue: 1 },
        { department: 'COURTS', ...ZERO, measuresApplied: 2, measuresFedBack: 1, feedbackReports: 2, objectionsFiled: 2, objectionsOpen: 1, objectionsOverdue: 1 },
        { department: 'ENVIRONMENT', ...ZERO, measuresApplied: 1 },
        { department: 'CREDIT_OFFICE', ...ZERO },
      ],
    });
  });

  it('counts a one-day period on its China date, and recent open objections as open but not overdue', async () => {
    const first = (await subgraph.graphql(STATISTICS, { from: '2025-03-01', to: '2025-03-01' })).data.creditStatistics;
    expect(first.checks).toEqual([{ scenario: 'ADMINISTRATIVE_LICENSING', verdict: 'PROHIBITED', count: 1 }]);
    expect(first.byDepartment.find((d: { department: string }) => d.department === 'COURTS').measuresApplied).toBe(2);

    const from = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const recent = (await subgraph.graphql(STATISTICS, { from, to: today })).data.creditStatistics;
    expect(recent.checksTotal).toBe(0);
    expect(recent.byDepartment.find((d: { department: string }) => d.department === 'MARKET')).toEqual({
      department: 'MARKET',
      ...ZERO,
      objectionsFiled: 2,
      objectionsOpen: 1,
      objectionsOverdue: 0,
    });
  });

  it('answers zeros for a period without activity', async () => {
    const stats = (await subgraph.graphql(STATISTICS, { from: '2020-01-01', to: '2020-12-31' })).data.creditStatistics;
    expect(stats.checksTotal).toBe(0);
    expect(stats.hits).toBe(0);
    expect(stats.checks).toEqual([]);
    expect(stats.byDepartment.map((d: { department: string }) => d.department)).toEqual(['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE']);
  });

  it('accepts a period of exactly five years', async () => {
    const result = await subgraph.graphql(STATISTICS, { from: '2020-01-01', to: '2024-12-31' });
    expect(result.errors).toBeUndefined();
  });

  it.each([
    ['an impossible date', { from: '2025-02-30', to: '2025-03-31' }, /'from'/],
    ['a date that is not ISO', { from: '2025-03-01', to: '31/03/2025' }, /'to'/],
    ['from after to', { from: '2025-04-01', to: '2025-03-31' }, /after/],
    ['more than five years', { from: '2020-01-01', to: '2025-01-01' }, /5 years/],
  ])('refuses %s with BAD_USER_INPUT', async (_label, variables, message) => {
    const result = await subgraph.graphql(STATISTICS, variables);
    expect(result.data).toBeNull();
    expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(message);
  });
});
