/**
 * Double publicity's late list (lib/double-publicity.ts latePublications): which decisions of a
 * period were published after the 7th working day, or are unpublished past it, by which
 * authority and how many working days late — counted on the State Council's 2025 and 2026
 * calendars (holidays and make-up working days), the same count as the policy's workingDaysLate.
 */
import { marketSubgraph } from '../../subgraphs/market';
import { writeMarketRecords, type PenaltyRow } from '../../subgraphs/market/store';
import { buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { addDays } from '../../lib/calendar';
import { publicationDeadline, workingDaysLate } from '../../subgraphs/credit/policy/publicity';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(31000000 + n).slice(0, 8) });
const AUTHORITIES = ['北京市朝阳区市场监督管理局', '北京市海淀区市场监督管理局'];

const penalty = (n: number, decided: string, published: string | null, authority = AUTHORITIES[n % 2]!): PenaltyRow => ({
  subject_code: code(n),
  decision_number: `京市监罚〔2025〕L${n}号`,
  violation: `违法行为${n}`,
  content: '罚款',
  basis: '《产品质量法》第四十九条',
  authority,
  area: 'PRODUCT_QUALITY',
  serious: false,
  amount: 1000,
  decided_on: decided,
  published_on: published,
  publication_ends_on: null,
});

// Around the National Day holidays of 2025 (1–8 October off, Sunday 28 September and Saturday 11 October worked)
// and the Spring Festival of 2026 (15–23 February off, Saturday 14 and 28 February worked).
const rows: PenaltyRow[] = [
  penalty(1, '2025-09-29', '2025-10-15'), // deadline Wednesday 15 October: on time although 16 days later
  penalty(2, '2025-09-29', '2025-10-16'), // 1 working day late
  penalty(3, '2025-09-17', '2025-10-09'), // deadline 26 September; 28, 29, 30 September and 9 October: 4 late
  penalty(4, '2026-02-12', '2026-02-28'), // deadline Saturday 28 February (worked): on time
  penalty(5, '2026-02-12', '2026-03-02'), // 1 late
  penalty(6, '2025-10-20', null), // unpublished, long past its deadline
  penalty(7, '2024-12-02', '2024-12-20'), // late, but outside the period asked for
];

const QUERY = `query($authority: String, $from: String!, $to: String!, $first: Int, $after: String) {
  late: marketLatePublications(kind: PENALTY, authority: $authority, from: $from, to: $to, first: $first, after: $after) {
    nodes { kind subject { code } decisionNumber authority decidedOn deadline publishedOn workingDaysLate } endCursor hasNextPage
  }
}`;

describe('marketLatePublications', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraph(marketSubgraph);
    await writeMarketRecords(subgraph.db, { registrations: [], licences: [], penalties: rows, abnormalOperations: [], seriousViolations: [], spotChecks: [] });
  });
  afterAll(() => subgraph?.close());

  const STATISTICS = { as: { role: 'CREDIT_OFFICE' } } as const;

  it('lists the late decisions of the period, newest first, with the authority, deadline and working days late on the holiday calendar', async () => {
    const result = await subgraph.graphql(QUERY, { from: '2025-01-01', to: '2026-12-31', first: 100 }, STATISTICS);
    expect(result.errors).toBeUndefined();
    const today = todayInChina();
    expect(result.data.late.nodes).toEqual([
      { kind: 'PENALTY', subject: { code: code(5) }, decisionNumber: '京市监罚〔2025〕L5号', authority: AUTHORITIES[1], decidedOn: '2026-02-12', deadline: '2026-02-28', publishedOn: '2026-03-02', workingDaysLate: 1 },
      { kind: 'PENALTY', subject: { code: code(6) }, decisionNumber: '京市监罚〔2025〕L6号', authority: AUTHORITIES[0], decidedOn: '2025-10-20', deadline: publicationDeadline('2025-10-20'), publishedOn: null, workingDaysLate: workingDaysLate('2025-10-20', today) },
      { kind: 'PENALTY', subject: { code: code(2) }, decisionNumber: '京市监罚〔2025〕L2号', authority: AUTHORITIES[0], decidedOn: '2025-09-29', deadline: '2025-10-15', publishedOn: '2025-10-16', workingDaysLate: 1 },
      { kind: 'PENALTY', subject: { code: code(3) }, decisionNumber: '京市监罚〔2025〕L3号', authority: AUTHORITIES[1], decidedOn: '2025-09-17', deadline: '2025-09-26', publishedOn: '2025-10-09', workingDaysLate: 4 },
    ]);
    // The SQL count and the policy's count agree on every row.
    for (const node of result.data.late.nodes) expect(node.workingDaysLate).toBe(workingDaysLate(node.decidedOn, node.publishedOn ?? today));
  });

  it('filters by authority and pages once through', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await subgraph.graphql(QUERY, { authority: '海淀', from: '2025-01-01', to: '2026-12-31', first: 1, after }, STATISTICS);
      seen.push(...page.data.late.nodes.map((n: { decisionNumber: string }) => n.decisionNumber));
      if (!page.data.late.hasNextPage) break;
      after = page.data.late.endCursor;
    }
    expect(seen).toEqual(['京市监罚〔2025〕L5号', '京市监罚〔2025〕L3号']);
  });

  it.each([
    [{ from: '2025-13-01', to: '2026-01-01' }, 'BAD_USER_INPUT'],
    [{ from: '2026-01-01', to: '2025-01-01' }, 'BAD_USER_INPUT'],
    [{ from: '2010-01-01', to: '2026-01-01' }, 'BAD_USER_INPUT'],
    [{ from: '2025-01-01', to: '2026-01-01', first: 0 }, 'BAD_USER_INPUT'],
    [{ from: '2025-01-01', to: '2026-01-01', after: 'bm90LWEtY3Vyc29y' }, 'BAD_USER_INPUT'],
  ])('refuses a bad period, page size or cursor: %j', async (variables, code) => {
    const result = await subgraph.graphql(QUERY, variables, STATISTICS);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('counts from the calendar, not from a fixed offset: a decision today is never late today', async () => {
    const today = todayInChina();
    await writeMarketRecords(subgraph.db, { registrations: [], licences: [], penalties: [penalty(9, today, null)], abnormalOperations: [], seriousViolations: [], spotChecks: [] });
    const result = await subgraph.graphql(QUERY, { from: addDays(today, -1), to: today, first: 100 }, STATISTICS);
    expect(result.data.late.nodes).toEqual([]);
  });
});
