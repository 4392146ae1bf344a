import { creditSubgraph } from '../../subgraphs/credit';
import { writeCreditRecords, type ListEntryRow, type ListKind } from '../../subgraphs/credit/store';
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '330106', organisationBody: String(30000000 + n).slice(0, 8) });

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Deterministic shuffle (LCG), so insertion order (and so ids) is unrelated to `since`. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const cursor = (text: string) => Buffer.from(text).toString('base64url');

const LIST_PAGE = `query($kind: ListKind!, $first: Int, $after: String) {
  listEntries(kind: $kind, first: $first, after: $after) {
    nodes { code kind reason department sourceRecord since until }
    endCursor
    hasNextPage
  }
}`;

const SUBJECT = 'query($code: ID!) { subject(code: $code) { code kind } }';

describe('credit subgraph', () => {
  let subgraph: SubgraphUnderTest;
  const today = todayInChina();
  const codes = Array.from({ length: 1000 }, (_, i) => code(i));

  // codes[0]: one current black-list entry, one ended red-list entry.
  const current: ListEntryRow = {
    subject_code: codes[0]!,
    kind: 'BLACK',
    reason: '失信被执行人',
    department: 'COURTS',
    source_record: '(2023)浙0106执1234号',
    since: addDays(today, -400),
    until: null,
  };
  const ended: ListEntryRow = {
    subject_code: codes[0]!,
    kind: 'RED',
    reason: '纳税信用A级',
    department: 'TAX',
    source_record: 'A-2021-330106',
    since: addDays(today, -1000),
    until: addDays(today, -10),
  };
  const redInForce: ListEntryRow = {
    subject_code: codes[1]!,
    kind: 'RED',
    reason: '守合同重信用企业',
    department: 'MARKET',
    source_record: 'SHTZXY-2025-001',
    since: addDays(today, -30),
    until: addDays(today, 335),
  };

  // 53 key-attention entries in force, on only five distinct dates (many ties), some ending in the future.
  const inForce: ListEntryRow[] = Array.from({ length: 53 }, (_, i) => ({
    subject_code: codes[100 + i]!,
    kind: 'KEY_ATTENTION',
    reason: '拖欠农民工工资',
    department: i % 2 ? 'MARKET' : 'CREDIT_OFFICE',
    source_record: `KA-${String(i).padStart(3, '0')}`,
    since: addDays(today, -7 * (i % 5)), // i % 5 === 0: since today, which is in force
    until: i % 3 === 0 ? null : i % 3 === 1 ? addDays(today, 1) : addDays(today, 365),
  }));
  // Key-attention entries not in force today.
  const notInForce: ListEntryRow[] = [
    { subject_code: codes[200]!, kind: 'KEY_ATTENTION', reason: '已届满', department: 'MARKET', source_record: 'KA-ENDS-TODAY', since: addDays(today, -100), until: today },
    { subject_code: codes[201]!, kind: 'KEY_ATTENTION', reason: '已届满', department: 'MARKET', source_record: 'KA-ENDED', since: addDays(today, -100), until: addDays(today, -1) },
    { subject_code: codes[202]!, kind: 'KEY_ATTENTION', reason: '尚未生效', department: 'MARKET', source_record: 'KA-FUTURE', since: addDays(today, 1), until: null },
  ];

  // codes[300]: twelve ended red-list entries all since the same day, so only the id orders them.
  const sameDay: ListEntryRow[] = Array.from({ length: 12 }, (_, i) => ({
    subject_code: codes[300]!,
    kind: 'RED',
    reason: '诚信纳税',
    department: 'TAX',
    source_record: `SAME-DAY-${i}`,
    since: addDays(today, -800),
    until: addDays(today, -400),
  }));

  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
    // Ids are handed out in write order: the same-day entries get 1-6 and 13-18, six key-attention entries 7-12,
    // so ordering ids as text instead of numbers would show in both.
    await writeCreditRecords(subgraph.db, { listEntries: [...sameDay.slice(0, 6), ...inForce.slice(0, 6), ...sameDay.slice(6)] });
    await writeCreditRecords(subgraph.db, { listEntries: shuffled([current, ended, redInForce, ...inForce.slice(6), ...notInForce]) });
  });
  afterAll(() => subgraph?.close());

  const countRows = async () => (await subgraph.db.query<{ n: number }>('SELECT count(*)::int AS n FROM list_entry'))[0]!.n;

  describe('subject(code)', () => {
    it('normalises lower case to upper case and tells organisations from natural persons', async () => {
      const result = await subgraph.graphql(SUBJECT, { code: '91350100m000100y43' });
      expect(result.errors).toBeUndefined();
      expect(result.data.subject).toEqual({ code: '91350100M000100Y43', kind: 'ORGANISATION' });

      const person = buildResidentId('110101', '19900307', '123');
      expect((await subgraph.graphql(SUBJECT, { code: person })).data.subject).toEqual({ code: person, kind: 'NATURAL_PERSON' });

      // A resident identity number whose check character is X, sent with a lower-case x.
      let sequence = 0;
      while (!buildResidentId('330106', '19851120', String(sequence).padStart(3, '0')).endsWith('X')) sequence++;
      const withX = buildResidentId('330106', '19851120', String(sequence).padStart(3, '0'));
      const lower = await subgraph.graphql(SUBJECT, { code: withX.toLowerCase() });
      expect(lower.errors).toBeUndefined();
      expect(lower.data.subject).toEqual({ code: withX, kind: 'NATURAL_PERSON' });
    });

    it.each([
      ['LENGTH', '91350100M000100Y4'],
      ['LENGTH', '91350100M000100Y431'],
      ['CHARSET', '91350100I000100Y43'], // I is not in the USCC alphabet
      ['CHARSET', '91350100M000100Y4O'],
      ['CHECKSUM', '91350100M000100Y44'],
      ['CHECKSUM', '91350100m000100y44'], // lower case is normalised, then the checksum still fails
    ])('refuses an invalid code with reason %s (%s)', async (reason, input) => {
      // Twice: Mercurius compiles a query with graphql-jit after its first run; both paths must keep the extensions.
      for (let run = 0; run < 2; run++) {
        const result = await subgraph.graphql(SUBJECT, { code: input });
        expect(result.data).toBeNull();
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason, input }));
        expect(result.errors![0].path).toEqual(['subject']);
      }
    });

    it('refuses a resident identity number with a wrong check character', async () => {
      const person = buildResidentId('110101', '19900307', '123');
      const wrong = person.slice(0, 17) + (person[17] === '0' ? '1' : '0');
      const result = await subgraph.graphql(SUBJECT, { code: wrong });
      expect(result.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'CHECKSUM', input: wrong }));
    });

    it('answers the lists of the subject, current and ended', async () => {
      const result = await subgraph.graphql('query($code: ID!) { subject(code: $code) { code lists { kind sourceRecord until } } }', {
        code: codes[0]!.toLowerCase(),
      });
      expect(result.data.subject).toEqual({
        code: codes[0],
        lists: [
          { kind: 'BLACK', sourceRecord: current.source_record, until: null },
          { kind: 'RED', sourceRecord: ended.source_record, until: ended.until },
        ],
      });
    });
  });

  describe('subjects(codes)', () => {
    const QUERY = 'query($codes: [ID!]!) { subjects(codes: $codes) { code kind lists { kind } } }';

    it('answers in the order asked, duplicates included', async () => {
      const person = buildResidentId('110101', '19900307', '123');
      const result = await subgraph.graphql(QUERY, { codes: [codes[1], codes[0], person, codes[1]!.toLowerCase(), codes[999]] });
      expect(result.errors).toBeUndefined();
      expect(result.data.subjects).toEqual([
        { code: codes[1], kind: 'ORGANISATION', lists: [{ kind: 'RED' }] },
        { code: codes[0], kind: 'ORGANISATION', lists: [{ kind: 'BLACK' }, { kind: 'RED' }] },
        { code: person, kind: 'NATURAL_PERSON', lists: [] },
        { code: codes[1], kind: 'ORGANISATION', lists: [{ kind: 'RED' }] },
        { code: codes[999], kind: 'ORGANISATION', lists: [] },
      ]);
    });

    it('accepts 1,000 codes with one query, and refuses 1,001 naming the limit', async () => {
      const { result, statements } = await countQueries(subgraph.db, () => subgraph.graphql(QUERY, { codes }));
      expect(result.errors).toBeUndefined();
      expect(result.data.subjects.map((s: { code: string }) => s.code)).toEqual(codes);
      expect(statements).toHaveLength(1);

      const tooMany = await subgraph.graphql(QUERY, { codes: [...codes, code(1000)] });
      expect(tooMany.data).toBeNull();
      expect(tooMany.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(tooMany.errors![0].message).toMatch(/1000/);
    });

    it('names the index of the one invalid code in a batch', async () => {
      const batch = codes.slice(0, 10);
      const bad = codes[7]!.slice(0, 17) + (codes[7]![17] === '0' ? '1' : '0');
      batch[7] = bad;
      const result = await subgraph.graphql(QUERY, { codes: batch });
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'CHECKSUM', input: bad, index: 7 }));
      expect(result.errors![0].message).toContain('codes[7]');

      const short = await subgraph.graphql(QUERY, { codes: [codes[0], codes[1], 'ABC'] });
      expect(short.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'LENGTH', input: 'ABC', index: 2 }));
    });
  });

  describe('Subject.lists through _entities', () => {
    it('resolves 1,000 subjects with one query, current and ended entries included', async () => {
      const { result, statements } = await countQueries(subgraph.db, () =>
        subgraph.entities(codes, 'code lists { code kind reason department sourceRecord since until }'),
      );
      expect(statements).toHaveLength(1);
      expect(result).toHaveLength(1000);
      expect(result.map((s) => s.code)).toEqual(codes);
      expect(result[0].lists).toEqual([
        { code: codes[0], kind: 'BLACK', reason: '失信被执行人', department: 'COURTS', sourceRecord: current.source_record, since: current.since, until: null },
        { code: codes[0], kind: 'RED', reason: '纳税信用A级', department: 'TAX', sourceRecord: ended.source_record, since: ended.since, until: ended.until },
      ]);
      expect(result[1].lists).toEqual([expect.objectContaining({ kind: 'RED', until: redInForce.until })]);
      // Entries not in force today are still part of the subject's history.
      expect(result[200].lists).toEqual([expect.objectContaining({ sourceRecord: 'KA-ENDS-TODAY', until: today })]);
      expect(result[202].lists).toEqual([expect.objectContaining({ sourceRecord: 'KA-FUTURE', since: addDays(today, 1) })]);
      expect(result[999].lists).toEqual([]);
    });

    it("orders a subject's entries newest first, ties by id as a number", async () => {
      const rows = await subgraph.db.query<{ id: string; source_record: string }>(
        "SELECT id::text AS id, source_record FROM list_entry WHERE source_record LIKE 'SAME-DAY-%'",
      );
      // Ids cross a power of ten, so ordering them as text would differ.
      expect(rows.some((r) => r.id.length !== rows[0]!.id.length)).toBe(true);
      const expected = rows.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).map((r) => r.source_record);
      const [subject] = await subgraph.entities([codes[300]!], 'lists { sourceRecord }');
      expect(subject.lists.map((e: { sourceRecord: string }) => e.sourceRecord)).toEqual(expected);
    });
  });

  describe('listEntries', () => {
    type Page = { nodes: Array<{ code: string; kind: ListKind; sourceRecord: string; since: string; until: string | null }>; endCursor: string | null; hasNextPage: boolean };
    const page = async (variables: Record<string, unknown>): Promise<Page> => {
      const result = await subgraph.graphql(LIST_PAGE, variables);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data.listEntries;
    };

    /** The in-force key-attention entries, newest `since` first, ties by id (newest id first). */
    async function expectedOrder(): Promise<string[]> {
      const rows = await subgraph.db.query<{ id: string; source_record: string; since: string }>(
        "SELECT id::text AS id, source_record, since::text AS since FROM list_entry WHERE kind = 'KEY_ATTENTION'",
      );
      const wanted = new Set(inForce.map((e) => e.source_record));
      const mine = rows.filter((r) => wanted.has(r.source_record));
      // Ids cross a power of ten, so ordering them as text would differ.
      expect(new Set(mine.map((r) => r.id.length)).size).toBeGreaterThan(1);
      return mine
        .sort((a, b) => (a.since !== b.since ? (a.since < b.since ? 1 : -1) : BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .map((r) => r.source_record);
    }

    it('answers only entries of the kind in force today, newest first', async () => {
      const red = await page({ kind: 'RED', first: 100 });
      expect(red).toEqual({
        nodes: [
          {
            code: codes[1],
            kind: 'RED',
            reason: redInForce.reason,
            department: 'MARKET',
            sourceRecord: redInForce.source_record,
            since: redInForce.since,
            until: redInForce.until,
          },
        ],
        endCursor: expect.any(String),
        hasNextPage: false,
      });

      const black = await page({ kind: 'BLACK' }); // default first
      expect(black.nodes.map((n) => n.sourceRecord)).toEqual([current.source_record]);

      const all = await page({ kind: 'KEY_ATTENTION', first: 100 });
      expect(all.hasNextPage).toBe(false);
      expect(all.nodes).toHaveLength(53);
      expect(all.nodes.every((n) => n.kind === 'KEY_ATTENTION')).toBe(true);
      const records = all.nodes.map((n) => n.sourceRecord);
      expect(records).not.toContain('KA-ENDS-TODAY');
      expect(records).not.toContain('KA-ENDED');
      expect(records).not.toContain('KA-FUTURE');
      expect(records).toEqual(await expectedOrder());
      // Entries that started today and entries that end tomorrow are in force.
      expect(all.nodes.filter((n) => n.since === today)).toHaveLength(11);
      expect(records).toContain('KA-001'); // until tomorrow
      for (let i = 1; i < all.nodes.length; i++) expect(all.nodes[i - 1]!.since >= all.nodes[i]!.since).toBe(true);
    });

    it('walks every entry exactly once in pages of 10', async () => {
      const expected = await expectedOrder();
      const seen: string[] = [];
      const sizes: number[] = [];
      let after: string | null = null;
      for (let n = 0; n < 10; n++) {
        const p: Page = await page({ kind: 'KEY_ATTENTION', first: 10, after });
        seen.push(...p.nodes.map((node) => node.sourceRecord));
        sizes.push(p.nodes.length);
        expect(p.hasNextPage).toBe(seen.length < 53);
        expect(p.endCursor).toEqual(expect.any(String));
        if (!p.hasNextPage) {
          after = p.endCursor;
          break;
        }
        after = p.endCursor;
      }
      expect(sizes).toEqual([10, 10, 10, 10, 10, 3]);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(53);

      // After the last page: nothing, and no cursor.
      expect(await page({ kind: 'KEY_ATTENTION', first: 10, after })).toEqual({ nodes: [], endCursor: null, hasNextPage: false });
    });

    it('filters by determining department and by the date entries took effect, paging within the filter', async () => {
      const FILTERED = `query($kind: ListKind!, $first: Int, $after: String, $department: Department, $from: String, $to: String) {
        listEntries(kind: $kind, first: $first, after: $after, department: $department, from: $from, to: $to) { nodes { sourceRecord department since } endCursor hasNextPage } }`;
      const filtered = async (variables: Record<string, unknown>) => {
        const result = await subgraph.graphql(FILTERED, { kind: 'KEY_ATTENTION', ...variables });
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        return result.data.listEntries as { nodes: { sourceRecord: string; department: string; since: string }[]; endCursor: string | null; hasNextPage: boolean };
      };
      const expected = (await expectedOrder()).filter((record) => {
        const entry = inForce.find((e) => e.source_record === record)!;
        return entry.department === 'MARKET' && entry.since >= addDays(today, -14) && entry.since <= addDays(today, -7);
      });
      expect(expected.length).toBeGreaterThan(5);
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const p = await filtered({ department: 'MARKET', from: addDays(today, -14), to: addDays(today, -7), first: 4, after });
        expect(p.nodes.every((n) => n.department === 'MARKET' && n.since >= addDays(today, -14) && n.since <= addDays(today, -7))).toBe(true);
        seen.push(...p.nodes.map((n) => n.sourceRecord));
        after = p.hasNextPage ? p.endCursor : null;
      } while (after);
      expect(seen).toEqual(expected);
      expect((await filtered({ department: 'TAX', first: 100 })).nodes).toEqual([]);
      const bad = await subgraph.graphql(FILTERED, { kind: 'RED', from: '2026-02-30' });
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATE', field: 'from' });
      const backwards = await subgraph.graphql(FILTERED, { kind: 'RED', from: '2026-03-01', to: '2026-02-01' });
      expect(backwards.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERIOD' });
    });

    it('knows whether a page that ends exactly at the last entry has a next page', async () => {
      expect((await page({ kind: 'KEY_ATTENTION', first: 53 })).hasNextPage).toBe(false);
      expect((await page({ kind: 'KEY_ATTENTION', first: 52 })).hasNextPage).toBe(true);
      const first50 = await page({ kind: 'KEY_ATTENTION', first: 50 });
      const rest = await page({ kind: 'KEY_ATTENTION', first: 50, after: first50.endCursor });
      expect(rest.nodes).toHaveLength(3);
      expect(rest.hasNextPage).toBe(false);
    });

    it.each([0, -1, 101, null])('refuses first: %p', async (first) => {
      const result = await subgraph.graphql(LIST_PAGE, { kind: 'RED', first });
      expect(result.data).toBeNull();
      expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/100/);
    });

    it('accepts first: 1 and first: 100', async () => {
      expect((await page({ kind: 'KEY_ATTENTION', first: 1 })).nodes).toHaveLength(1);
      expect((await page({ kind: 'KEY_ATTENTION', first: 100 })).nodes).toHaveLength(53);
    });

    it.each([
      ['not base64 at all', '%%%'],
      ['garbage', 'garbage'],
      ['empty after decoding', cursor('|')],
      ['no id', cursor(`${todayInChina()}|`)],
      ['not a date', cursor('yesterday|12')],
      ['an impossible date', cursor('2024-13-45|12')],
      ['an id beyond bigint', cursor('2024-01-01|99999999999999999999999')],
      ['trailing junk', cursor('2024-01-01|12|x')],
    ])('refuses an after cursor that is %s', async (_label, after) => {
      const result = await subgraph.graphql(LIST_PAGE, { kind: 'KEY_ATTENTION', first: 10, after });
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('writeCreditRecords', () => {
    const fresh = (n: number): ListEntryRow => ({
      subject_code: code(2000 + n),
      kind: 'BLACK',
      reason: '重大税收违法失信主体',
      department: 'TAX',
      source_record: `FRESH-${n}`,
      since: addDays(today, -5),
      until: null,
    });

    it('refuses a determination published twice and writes nothing of the batch', async () => {
      const before = await countRows();
      // More rows than one insert chunk holds, so the duplicate lands in a later statement than the fresh rows.
      const batch = [...Array.from({ length: 5001 }, (_, i) => fresh(i)), { ...current, subject_code: code(9000), reason: '重复' }];
      await expect(writeCreditRecords(subgraph.db, { listEntries: batch })).rejects.toThrow(/duplicate key/);
      expect(await countRows()).toBe(before);

      // Two copies of one new determination in one batch.
      await expect(writeCreditRecords(subgraph.db, { listEntries: [fresh(1), fresh(1)] })).rejects.toThrow(/duplicate key/);
      expect(await countRows()).toBe(before);
      const [subject] = await subgraph.entities([code(2001)], 'lists { sourceRecord }');
      expect(subject.lists).toEqual([]);
    });

    it('accepts the same source record from another department or for another list', async () => {
      const before = await countRows();
      await writeCreditRecords(subgraph.db, {
        listEntries: [
          { ...current, department: 'MARKET', subject_code: code(3000), until: addDays(today, -1) },
          { ...current, kind: 'KEY_ATTENTION', subject_code: code(3000), since: addDays(today, 2) },
        ],
      });
      expect(await countRows()).toBe(before + 2);
    });

    it('refuses an entry that ends before it starts, and writes nothing of the batch', async () => {
      const before = await countRows();
      const backwards = { ...fresh(100), since: today, until: addDays(today, -1) };
      await expect(writeCreditRecords(subgraph.db, { listEntries: [fresh(101), backwards] })).rejects.toThrow(/check constraint/);
      expect(await countRows()).toBe(before);
      // An entry that starts and ends on the same day is allowed.
      await writeCreditRecords(subgraph.db, { listEntries: [{ ...fresh(102), since: today, until: today }] });
      expect(await countRows()).toBe(before + 1);
    });
  });

  it('publishes its SDL for composition', async () => {
    const result = await subgraph.graphql('{ _service { sdl } }');
    expect(result.data._service.sdl).toContain('type ListEntryConnection');
  });
});
