/**
 * marketDoublePublicity and environmentDoublePublicity (lib/double-publicity.ts): the licences
 * and penalties a department publishes today, exactly as
 * lib/disclosure.ts decides for each record, newest publication first, filtered by authority
 * and decision date, paged once through, each saying whether it was published within 7 working days.
 */
import { marketSubgraph } from '../../subgraphs/market';
import { environmentSubgraph } from '../../subgraphs/environment';
import { writeEnvironmentRecords } from '../../subgraphs/environment/store';
import { writeMarketRecords, type LicenceRow, type PenaltyRow } from '../../subgraphs/market/store';
import { buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { isDisclosed } from '../../lib/disclosure';
import { addDays } from '../../lib/calendar';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(30000000 + n).slice(0, 8) });
const today = todayInChina();
const AUTHORITIES = ['北京市朝阳区市场监督管理局', '北京市海淀区市场监督管理局'];

// 40 penalties: published or not, in or out of their publication period, two authorities.
const penalties: PenaltyRow[] = Array.from({ length: 40 }, (_, i) => ({
  subject_code: code(i % 7),
  decision_number: `京市监罚〔2026〕${i}号`,
  violation: `违法行为${i}`,
  content: '罚款',
  basis: '《产品质量法》第四十九条',
  authority: AUTHORITIES[i % 2]!,
  area: 'PRODUCT_QUALITY',
  serious: false,
  amount: 1000,
  decided_on: addDays(today, -30 - i),
  published_on: i % 5 === 4 ? null : i % 5 === 3 ? addDays(today, 2) : addDays(today, -30 - i + (i % 3 === 0 ? 20 : 2)),
  publication_ends_on: i % 8 === 7 ? addDays(today, -1) : addDays(today, 1000),
}));
// The 2025-06-02 Monday rule of lib/publication-timeliness.ts: by Wednesday 11 June on time, Thursday 12 June late.
const timed: PenaltyRow[] = [
  { ...penalties[0]!, decision_number: 'ON-TIME', decided_on: '2025-06-02', published_on: '2025-06-11', publication_ends_on: null },
  { ...penalties[0]!, decision_number: 'LATE', decided_on: '2025-06-02', published_on: '2025-06-12', publication_ends_on: null },
];
const licences: LicenceRow[] = [
  { subject_code: code(1), decision_number: '京市监许〔2026〕1号', licence_name: '食品经营许可证', content: '预包装食品销售', authority: AUTHORITIES[0]!, decided_on: addDays(today, -20), valid_from: addDays(today, -20), valid_until: addDays(today, 1800), published_on: addDays(today, -18) },
  { subject_code: code(2), decision_number: '京市监许〔2020〕9号', licence_name: '食品经营许可证', content: '已过期', authority: AUTHORITIES[0]!, decided_on: '2020-01-06', valid_from: '2020-01-06', valid_until: addDays(today, -1), published_on: '2020-01-08' },
];

const QUERY = `query($kind: DecisionKind!, $authority: String, $from: String, $to: String, $first: Int, $after: String) {
  decisions: marketDoublePublicity(kind: $kind, authority: $authority, from: $from, to: $to, first: $first, after: $after) {
    nodes { kind subject { code } decisionNumber title basis authority decidedOn publishedOn onTime } endCursor hasNextPage
  }
}`;

describe('marketDoublePublicity', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraph(marketSubgraph);
    await writeMarketRecords(subgraph.db, { registrations: [], licences, penalties: [...penalties, ...timed], abnormalOperations: [], seriousViolations: [], spotChecks: [] });
  });
  afterAll(() => subgraph?.close());

  const all = async (variables: Record<string, unknown>, first = 6) => {
    const nodes: any[] = [];
    let after: string | null = null;
    do {
      const result: any = await subgraph.graphql(QUERY, { ...variables, first, after }, { as: { role: 'PUBLIC' } });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      nodes.push(...result.data.decisions.nodes);
      after = result.data.decisions.hasNextPage ? result.data.decisions.endCursor : null;
    } while (after);
    return nodes;
  };
  const disclosedPenalties = [...penalties, ...timed].filter((p) =>
    isDisclosed('penalty', { publishedOn: p.published_on, publicationEndsOn: p.publication_ends_on }, today));

  it('lists exactly the penalties the disclosure rule publishes today, newest publication first, once each', async () => {
    const nodes = await all({ kind: 'PENALTY' });
    expect(nodes.map((n) => n.decisionNumber).sort()).toEqual(disclosedPenalties.map((p) => p.decision_number).sort());
    expect(new Set(nodes.map((n) => n.decisionNumber)).size).toBe(nodes.length);
    const published = nodes.map((n) => n.publishedOn);
    expect(published).toEqual([...published].sort().reverse());
    expect(nodes[0]).toMatchObject({ kind: 'PENALTY', basis: '《产品质量法》第四十九条' });
  });

  it('says whether each was published within 7 working days', async () => {
    const nodes = await all({ kind: 'PENALTY', from: '2025-06-02', to: '2025-06-02' });
    expect(nodes.map((n) => [n.decisionNumber, n.onTime]).sort()).toEqual([['LATE', false], ['ON-TIME', true]]);
  });

  it('filters by authority and decision date', async () => {
    const nodes = await all({ kind: 'PENALTY', authority: '海淀', from: addDays(today, -50), to: addDays(today, -35) });
    const expected = disclosedPenalties.filter((p) => p.authority.includes('海淀') && p.decided_on >= addDays(today, -50) && p.decided_on <= addDays(today, -35));
    expect(expected.length).toBeGreaterThan(0);
    expect(nodes.map((n) => n.decisionNumber).sort()).toEqual(expected.map((p) => p.decision_number).sort());
  });

  it('lists licences still valid, with their subject', async () => {
    expect(await all({ kind: 'LICENCE' })).toEqual([
      { kind: 'LICENCE', subject: { code: code(1) }, decisionNumber: '京市监许〔2026〕1号', title: '食品经营许可证', basis: null, authority: AUTHORITIES[0], decidedOn: addDays(today, -20), publishedOn: addDays(today, -18), onTime: true },
    ]);
  });

  it('refuses bad dates, a reversed period, a bad page size and a forged cursor', async () => {
    const reason = async (variables: Record<string, unknown>) => (await subgraph.graphql(QUERY, { kind: 'PENALTY', ...variables })).errors?.[0]?.extensions;
    expect(await reason({ from: '2026-13-01' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATE', field: 'from' });
    expect(await reason({ from: '2026-02-01', to: '2026-01-01' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERIOD' });
    expect(await reason({ first: 101 })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE' });
    expect(await reason({ after: 'bm9wZQ' })).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CURSOR' });
  });
});

describe('environmentDoublePublicity', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraph(environmentSubgraph);
    await writeEnvironmentRecords(subgraph.db, {
      creditRatings: [],
      dischargePermits: [],
      penalties: [
        { subject_code: code(1), decision_number: '京环罚〔2026〕7号', violation: '超标排放', content: '罚款20万元', basis: '《大气污染防治法》第九十九条', authority: '北京市生态环境局', serious: true, amount: 200000, decided_on: addDays(today, -12), published_on: addDays(today, -10), publication_ends_on: null },
        { subject_code: code(2), decision_number: '京环罚〔2026〕8号', violation: '未批先建', content: '罚款', basis: '《环境影响评价法》第三十一条', authority: '北京市生态环境局', serious: false, amount: 50000, decided_on: addDays(today, -5), published_on: null, publication_ends_on: null },
      ],
    });
  });
  afterAll(() => subgraph?.close());

  it('lists the environmental penalties published today, and refuses licences it does not decide', async () => {
    const query = `query($kind: DecisionKind) { environmentDoublePublicity(kind: $kind) { nodes { decisionNumber basis authority onTime subject { code } } } }`;
    const penalties = await subgraph.graphql(query, {}, { as: { role: 'PUBLIC' } });
    expect(penalties.data.environmentDoublePublicity.nodes).toEqual([
      { decisionNumber: '京环罚〔2026〕7号', basis: '《大气污染防治法》第九十九条', authority: '北京市生态环境局', onTime: true, subject: { code: code(1) } },
    ]);
    const licences = await subgraph.graphql(query, { kind: 'LICENCE' }, { as: { role: 'PUBLIC' } });
    expect(licences.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'KIND' });
  });
});
