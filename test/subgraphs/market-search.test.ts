/**
 * searchSubjects: names found whole, in part and mistyped (pg_trgm over Chinese text), codes
 * whole or by their start, best match first, paged without repeats or gaps, on both engines.
 */
import { marketSubgraph } from '../../subgraphs/market';
import { writeMarketRecords, type RegistrationRow } from '../../subgraphs/market/store';
import { buildUscc } from '../../lib/identifiers';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(20000000 + n).slice(0, 8) });

const NAMED = ['北京诚信建筑工程有限公司', '上海诚信建筑材料有限公司', '北京诚信物流有限公司', '广州明达科技有限公司'];
const TRADERS = 30;

function registration(subjectCode: string, name: string): RegistrationRow {
  return {
    subject_code: subjectCode,
    name,
    entity_type: 'ENTERPRISE',
    legal_rep_name: '李四',
    legal_rep_id: '11010519491231002X',
    registered_capital: 100,
    established_on: '2015-03-01',
    status: 'ACTIVE',
    address: '北京市朝阳区',
    business_scope: '建筑施工',
    registration_authority: '北京市朝阳区市场监督管理局',
  };
}

const SEARCH = `query($q: String!, $first: Int, $after: String) {
  searchSubjects(query: $q, first: $first, after: $after) {
    nodes { subject { code name } matchedBy score } endCursor hasNextPage totalCount
  }
}`;

describe('searchSubjects', () => {
  let subgraph: SubgraphUnderTest;
  const named = NAMED.map((name, i) => ({ code: code(i), name }));
  const traders = Array.from({ length: TRADERS }, (_, i) => ({ code: code(100 + i), name: `恒通贸易${i}号有限公司` }));

  beforeAll(async () => {
    subgraph = await startSubgraph(marketSubgraph);
    await writeMarketRecords(subgraph.db, {
      registrations: [...named, ...traders].map((s) => registration(s.code, s.name)),
      licences: [], penalties: [], abnormalOperations: [], seriousViolations: [], spotChecks: [],
    });
  });
  afterAll(() => subgraph?.close());

  const search = async (q: string, first?: number, after?: string | null) => {
    const result = await subgraph.graphql(SEARCH, { q, first, after }, { as: { role: 'PUBLIC' } });
    return result;
  };
  const names = async (q: string, first?: number) => ((await search(q, first)).data?.searchSubjects.nodes ?? []).map((n: any) => n.subject.name);

  it('finds a subject by part of its Chinese name, the names containing it first', async () => {
    const found = await names('诚信建筑');
    expect(found.slice(0, 2).sort()).toEqual(['上海诚信建筑材料有限公司', '北京诚信建筑工程有限公司'].sort());
    expect(found).not.toContain('广州明达科技有限公司');
  });

  it('puts the exact name first, scored 3', async () => {
    const { data } = await search('北京诚信物流有限公司');
    expect(data.searchSubjects.nodes[0]).toEqual({ subject: { code: named[2]!.code, name: '北京诚信物流有限公司' }, matchedBy: 'NAME', score: 3 });
  });

  it('finds a name with a mistyped character (诚心 for 诚信)', async () => {
    expect((await names('北京诚心建筑工程有限公司'))[0]).toBe('北京诚信建筑工程有限公司');
  });

  it('finds a subject by its code, whole or by its start, in any case', async () => {
    const whole = (await search(named[3]!.code.toLowerCase())).data.searchSubjects;
    expect(whole.nodes[0]).toEqual({ subject: { code: named[3]!.code, name: '广州明达科技有限公司' }, matchedBy: 'CODE', score: 4 });
    expect(whole.totalCount).toBe(1);
    const prefix = (await search(named[3]!.code.slice(0, 12))).data.searchSubjects;
    expect(prefix.nodes.map((n: any) => n.subject.code)).toContain(named[3]!.code);
    expect(prefix.nodes.every((n: any) => n.matchedBy === 'CODE' && n.subject.code.startsWith(named[3]!.code.slice(0, 12)))).toBe(true);
  });

  it('pages through every hit once, in non-increasing score, with the total on each page', async () => {
    const seen: string[] = [];
    const scores: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = (await search('恒通贸易', 7, after)).data.searchSubjects;
      expect(page.totalCount).toBe(TRADERS);
      seen.push(...page.nodes.map((n: any) => n.subject.code));
      scores.push(...page.nodes.map((n: any) => n.score));
      after = page.hasNextPage ? page.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(Math.ceil(TRADERS / 7));
    expect(new Set(seen).size).toBe(TRADERS);
    expect(seen.sort()).toEqual(traders.map((t) => t.code).sort());
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds nothing for an unrelated name, and takes LIKE wildcards literally', async () => {
    expect((await search('完全无关的名称')).data.searchSubjects).toEqual({ nodes: [], endCursor: null, hasNextPage: false, totalCount: 0 });
    expect((await search('%')).data.searchSubjects.totalCount).toBe(0);
    expect((await search('_')).data.searchSubjects.totalCount).toBe(0);
  });

  it('refuses an empty query, a bad page size and a forged cursor, saying which', async () => {
    const reason = async (q: string, first?: number, after?: string) => (await search(q, first, after)).errors?.[0]?.extensions;
    expect(await reason('   ')).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EMPTY' });
    expect(await reason('诚信'.repeat(51))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_LONG' });
    expect(await reason('诚信', 0)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE' });
    expect(await reason('诚信', 51)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE' });
    expect(await reason('诚信', 5, Buffer.from("1.0|x'; DROP TABLE registration").toString('base64url'))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CURSOR' });
  });

  it('refuses a NUL character as the caller\'s input, without the database\'s words', async () => {
    const result = await search('诚信\u0000建筑');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' });
    expect(JSON.stringify(result)).not.toMatch(/UTF8|encoding|byte sequence|0x00/);
  });
});
