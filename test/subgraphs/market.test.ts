import { marketSubgraph } from '../../subgraphs/market';
import { writeMarketRecords, type MarketRecords } from '../../subgraphs/market/store';
import { buildUscc } from '../../lib/identifiers';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(10000000 + n).slice(0, 8) });

function records(codes: string[]): MarketRecords {
  return {
    registrations: codes.map((c, i) => ({
      subject_code: c,
      name: `测试公司${i}`,
      entity_type: 'ENTERPRISE',
      legal_rep_name: '张三丰',
      legal_rep_id: '11010519491231002X',
      registered_capital: 100 + i,
      established_on: '2015-03-01',
      status: 'ACTIVE',
      address: '北京市朝阳区',
      business_scope: '软件开发',
      registration_authority: '北京市朝阳区市场监督管理局',
    })),
    licences: [],
    penalties: [
      {
        subject_code: codes[0]!,
        decision_number: '京朝市监罚〔2025〕1号',
        violation: '销售过期食品',
        content: '罚款5000元',
        basis: '《食品安全法》第一百二十四条',
        authority: '北京市朝阳区市场监督管理局',
        area: 'FOOD_AND_DRUG',
        serious: false,
        amount: 5000,
        decided_on: '2025-06-01',
        published_on: '2025-06-05',
        publication_ends_on: '2028-06-05',
      },
    ],
    abnormalOperations: [
      { subject_code: codes[1]!, reason: '未按期公示年度报告', authority: '朝阳区市场监管局', listed_on: '2024-07-01', removed_on: null, removal_reason: null },
    ],
    seriousViolations: [],
    spotChecks: [],
  };
}

describe('market subgraph', () => {
  let subgraph: SubgraphUnderTest;
  const codes = Array.from({ length: 1000 }, (_, i) => code(i));

  beforeAll(async () => {
    subgraph = await startSubgraph(marketSubgraph);
    await writeMarketRecords(subgraph.db, records(codes));
  });
  afterAll(() => subgraph?.close());

  it('resolves a registered subject with its registration and records', async () => {
    const [first] = await subgraph.entities([codes[0]!], 'code name market { registration { name entityType establishedOn registeredCapital legalRepresentative { name residentId } } penalties { decisionNumber amount decidedOn area } }');
    expect(first).toEqual({
      code: codes[0],
      name: '测试公司0',
      market: {
        registration: {
          name: '测试公司0',
          entityType: 'ENTERPRISE',
          establishedOn: '2015-03-01',
          registeredCapital: 100,
          legalRepresentative: { name: '张**', residentId: '110105********002X' },
        },
        penalties: [{ decisionNumber: '京朝市监罚〔2025〕1号', amount: 5000, decidedOn: '2025-06-01', area: 'FOOD_AND_DRUG' }],
      },
    });
  });

  it('answers an empty profile for a subject it holds nothing on', async () => {
    const unknown = code(999999);
    const [subject] = await subgraph.entities([unknown], 'code name market { registration { name } penalties { decisionNumber } abnormalOperations { reason } }');
    expect(subject).toEqual({ code: unknown, name: null, market: { registration: null, penalties: [], abnormalOperations: [] } });
  });

  it('resolves 1,000 subjects with one query per table', async () => {
    const { result, statements } = await countQueries(subgraph.db, () =>
      subgraph.entities(codes, 'code name market { registration { status } penalties { decisionNumber } abnormalOperations { listedOn } }'),
    );
    expect(result).toHaveLength(1000);
    expect(result[1].market.abnormalOperations).toEqual([{ listedOn: '2024-07-01' }]);
    // registration (shared by name and registration), penalties, abnormal operations
    // One per table read, and one for the credit office's decisions about the records (record_status, lib/record-status.ts).
    expect(statements).toHaveLength(4);
  });

  it('writes a batch all or nothing', async () => {
    const duplicate = records([code(5000)]);
    duplicate.penalties = [{ ...records(codes).penalties[0]!, subject_code: code(5000) }]; // decision number already taken
    await expect(writeMarketRecords(subgraph.db, duplicate)).rejects.toThrow();
    const [subject] = await subgraph.entities([code(5000)], 'name');
    expect(subject.name).toBeNull();
  });

  it('publishes its SDL for composition', async () => {
    const result = await subgraph.graphql('{ _service { sdl } }');
    expect(result.data._service.sdl).toContain('type MarketProfile');
  });
});
