/**
 * searchSubjects: names found whole, in part and mistyped (pg_trgm over Chinese text), codes
 * whole or by their start, best match first, paged without repeats or gaps, on both engines.
 */
import { marketSubgraph } from '../../subgraphs/market';
import { searchCountStatement, textBigrams } from '../../subgraphs/market/search';
import { writeMarketRecords, type RegistrationRow } from '../../subgraphs/market/store';
import { buildUscc } from '../../lib/identifiers';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(20000000 + n).slice(0, 8) });

const NAMED = ['北京诚信建筑工程有限公司', '上海诚信建筑材料有限公司', '北京诚信物流有限公司', '广州明达科技有限公司'];
const TRADERS = 30;

/**
 * Names as the seed makes them (city, two characters of a trade name, an industry, 有限公司), with
 * neighbours that share a city, a trade character or an industry with each target (issue 16's
 * review: a six-character part with one wrong character found nothing or ranked the target 10th).
 */
const TARGETS = ['广州隆正制药有限公司', '长沙康美化工有限公司', '北京鑫宝建筑工程有限公司', '福州新信建材有限公司'];
const NEIGHBOURS = [
  '广州宝正制药有限公司', '广州隆盛贸易有限公司', '广州明正制衣有限公司', '广州华泰制药有限公司',
  '长沙康达化工有限公司', '长沙美华化工有限公司', '福州新兴建材有限公司', '福州信诚建材有限公司', '福州新华物流有限公司',
  '北京鑫鸿建筑工程有限公司', '北京鑫荣建筑工程有限公司',
  ...[...'益汇祥和兴通宏海天飞德广达信方盛明美恒'].map((c, i) => `北京鑫${c}${i % 2 ? '物流' : '贸易'}有限公司`),
];

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
  const targets = TARGETS.map((name, i) => ({ code: code(200 + i), name }));
  const neighbours = NEIGHBOURS.map((name, i) => ({ code: code(300 + i), name }));

  beforeAll(async () => {
    subgraph = await startSubgraph(marketSubgraph);
    await writeMarketRecords(subgraph.db, {
      registrations: [...named, ...traders, ...targets, ...neighbours].map((s) => registration(s.code, s.name)),
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

  /** The hits of a query with their scores, best first. */
  const hits = async (q: string): Promise<{ name: string; score: number }[]> => ((await search(q, 50)).data?.searchSubjects.nodes ?? []).map((n: any) => ({ name: n.subject.name, score: n.score }));
  /** Whether `name` is among the best-scored hits of `q`, and within its first `within`. */
  const amongBest = async (q: string, name: string, within = 5) => {
    const found = await hits(q);
    const at = found.findIndex((h) => h.name === name);
    return { q, found: at >= 0 && at < within && found[at]!.score === found[0]!.score };
  };

  it('finds a six-character part of a name with one wrong character in any place, among the best matches', async () => {
    const part = [...'广州隆正制药'];
    for (let i = 0; i < part.length; i++) {
      const typo = part.map((c, j) => (j === i ? '龙' : c)).join('');
      expect(await amongBest(typo, '广州隆正制药有限公司')).toEqual({ q: typo, found: true });
    }
  });

  it("finds the review's mistyped parts of names: a homophone, a wrong city character, a wrong trade character", async () => {
    for (const [q, name] of [
      ['广州龙正制药', '广州隆正制药有限公司'], ['广洲隆正制药', '广州隆正制药有限公司'], ['长沙糠美化工', '长沙康美化工有限公司'],
      ['北京鑫保建筑', '北京鑫宝建筑工程有限公司'], ['福州新心建材', '福州新信建材有限公司'],
    ]) {
      expect(await amongBest(q!, name!)).toEqual({ q, found: true });
    }
    // The wrong character of 福州新心建材 is shared by no neighbour: the target alone is the best.
    expect((await hits('福州新心建材'))[0]!.name).toBe('福州新信建材有限公司');
    // Unrelated neighbours sharing only the city or the industry do not match at all.
    expect((await names('北京鑫保建筑', 50)).filter((n: string) => !n.includes('建筑'))).toEqual([]);
  });

  it('matches each word of a query split by spaces, in any order', async () => {
    expect((await names('广州 隆正'))[0]).toBe('广州隆正制药有限公司');
    expect((await names('隆正　广州'))[0]).toBe('广州隆正制药有限公司'); // an ideographic space too
    expect((await names('广州 龙正制药'))).toContain('广州隆正制药有限公司');
    expect(await names('广州 完全无关')).toEqual([]);
  });

  it('serves every kind of query from the name and code indexes, never by reading the whole register', async () => {
    const plan = async (q: string) => {
      const statement = searchCountStatement(q);
      return subgraph.db.transaction(async (tx) => {
        // The test register is small enough to read whole; whether an index can serve the query is the question.
        await tx.query('SET LOCAL enable_seqscan = off');
        const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.text}`, statement.params);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    };
    expect(await plan('广州龙正制药')).toContain('registration_name_bigrams_idx');
    expect(await plan('北京诚心建筑工程有限公司')).toContain('registration_name_trgm_idx');
    expect(await plan(named[3]!.code.slice(0, 10))).toContain('registration_code_prefix_idx');
    for (const q of ['广州龙正制药', '广州 隆正', '北京诚心建筑工程有限公司', named[3]!.code.slice(0, 10)]) expect({ q, plan: await plan(q) }).not.toMatchObject({ plan: expect.stringContaining('Seq Scan') });
  });

  it("pairs a query's word as the database pairs a name (the stored pairs and the query's must agree)", async () => {
    for (const text of ['广州隆正制药有限公司', '恒通贸易1号', 'ab', '𠀀𠀁x', '隆隆隆']) {
      const [row] = await subgraph.db.query<{ pairs: string[] }>('SELECT text_bigrams($1) AS pairs', [text]);
      expect({ text, pairs: [...row!.pairs].sort() }).toEqual({ text, pairs: textBigrams(text) });
    }
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
