import { creditSubgraph } from '../../subgraphs/credit';
import { writeCreditRecords, type ListEntryRow, type ListKind } from '../../subgraphs/credit/store';
import { SAMPLING_RATES, creditGrades, drawFor } from '../../subgraphs/credit/supervision';
import { buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '320102', organisationBody: String(40000000 + n).slice(0, 8) });

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const SAMPLE = `query($population: [ID!]!, $size: Int!, $seed: String!) {
  spotCheckSample(population: $population, size: $size, seed: $seed) {
    seed size populationSize
    selected { code grade samplingRate }
    byGrade { grade population selected }
  }
}`;

/** Deterministic shuffle (LCG). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('graded supervision', () => {
  let subgraph: SubgraphUnderTest;
  const today = todayInChina();
  const codes = Array.from({ length: 2000 }, (_, i) => code(i));
  let sourceRecord = 0;
  const entry = (subject: string, kind: ListKind, since: string, until: string | null): ListEntryRow => ({
    subject_code: subject,
    kind,
    reason: 'test',
    department: 'MARKET',
    source_record: `test/${sourceRecord++}`,
    since,
    until,
  });
  const past = addDays(today, -100);

  // Grading cases on codes[0..9] (the large population's grades come from 10 on).
  const cases: { subject: string; entries: ListEntryRow[]; grade: string }[] = [
    { subject: codes[0]!, entries: [entry(codes[0]!, 'BLACK', past, null), entry(codes[0]!, 'RED', past, null)], grade: 'D' },
    { subject: codes[1]!, entries: [entry(codes[1]!, 'KEY_ATTENTION', past, addDays(today, 1)), entry(codes[1]!, 'RED', past, null)], grade: 'C' },
    { subject: codes[2]!, entries: [entry(codes[2]!, 'RED', today, null)], grade: 'A' },
    // Ended black entry, and one ending today: ignored; the red one in force decides.
    {
      subject: codes[3]!,
      entries: [entry(codes[3]!, 'BLACK', past, addDays(today, -1)), entry(codes[3]!, 'BLACK', past, today), entry(codes[3]!, 'RED', past, null)],
      grade: 'A',
    },
    // Only ended or future entries: normal.
    { subject: codes[4]!, entries: [entry(codes[4]!, 'KEY_ATTENTION', past, addDays(today, -10)), entry(codes[4]!, 'BLACK', addDays(today, 1), null)], grade: 'B' },
    { subject: codes[5]!, entries: [], grade: 'B' },
    { subject: codes[6]!, entries: [entry(codes[6]!, 'KEY_ATTENTION', past, null), entry(codes[6]!, 'BLACK', addDays(today, -50), addDays(today, 30))], grade: 'D' },
  ];

  // The population: codes[10..2009 mod] — 10..509 D, 510..1009 C, 1010..1509 A, the rest B.
  const gradeOfIndex = (i: number) => (i < 10 ? null : i < 510 ? 'D' : i < 1010 ? 'C' : i < 1510 ? 'A' : 'B');
  const populationEntries: ListEntryRow[] = codes.flatMap((subject, i) => {
    const grade = gradeOfIndex(i);
    if (grade === 'D') return [entry(subject, 'BLACK', past, null)];
    if (grade === 'C') return [entry(subject, 'KEY_ATTENTION', past, null)];
    if (grade === 'A') return [entry(subject, 'RED', past, null)];
    return [];
  });

  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
    await writeCreditRecords(subgraph.db, { listEntries: [...cases.flatMap((c) => c.entries), ...populationEntries] });
  });
  afterAll(() => subgraph?.close());

  describe('credit grades', () => {
    it('grades from the entries in force: black D, key attention C, red A, none B; ended and future entries ignored', async () => {
      const grades = await creditGrades(subgraph.db, cases.map((c) => c.subject), today);
      expect(Object.fromEntries(grades)).toEqual(Object.fromEntries(cases.map((c) => [c.subject, c.grade])));
    });

    it('resolves Subject.creditGrade for 1,000 subjects with two statements (the entries in force, the disputes among them)', async () => {
      const batch = codes.slice(0, 1000);
      const { result, statements } = await countQueries(subgraph.db, () => subgraph.entities(batch, 'code creditGrade'));
      expect(statements).toHaveLength(2);
      expect(result.map((s: { creditGrade: string }) => s.creditGrade)).toEqual(
        batch.map((_, i) => cases[i]?.grade ?? gradeOfIndex(i) ?? 'B'),
      );
    });

    it('answers the grade through subject(code), lower case normalised', async () => {
      const result = await subgraph.graphql('query($code: ID!) { subject(code: $code) { code creditGrade } }', { code: codes[1]!.toLowerCase() });
      expect(result.errors).toBeUndefined();
      expect(result.data.subject).toEqual({ code: codes[1], creditGrade: 'C' });
    });
  });

  describe('spotCheckSample', () => {
    const population = codes.slice(10);
    const sample = async (pop: string[], size: number, seed: string) => {
      const result = await subgraph.graphql(SAMPLE, { population: pop, size, seed });
      expect(result.errors).toBeUndefined();
      return result.data.spotCheckSample;
    };

    it('is reproducible for a seed, independent of the population order, and differs for another seed', async () => {
      const first = await sample(population, 100, 'plan-2025-06');
      const again = await sample(shuffled(population, 11), 100, 'plan-2025-06');
      const lower = await sample(population.map((c) => c.toLowerCase()), 100, 'plan-2025-06');
      expect(again).toEqual(first);
      expect(lower).toEqual(first);
      const other = await sample(population, 100, 'plan-2025-07');
      const overlap = other.selected.filter((s: { code: string }) => first.selected.some((f: { code: string }) => f.code === s.code));
      expect(overlap.length).toBeLessThan(100);
    });

    it('draws exactly `size` distinct subjects of the population, ordered by code, with their grade and rate', async () => {
      const result = await sample([...population, population[0]!], 150, 'size');
      expect(result.size).toBe(150);
      expect(result.populationSize).toBe(population.length); // the duplicate counts once
      const selected: { code: string; grade: 'A' | 'B' | 'C' | 'D'; samplingRate: number }[] = result.selected;
      expect(selected).toHaveLength(150);
      expect(new Set(selected.map((s) => s.code)).size).toBe(150);
      expect(selected.map((s) => s.code)).toEqual([...selected.map((s) => s.code)].sort());
      for (const s of selected) {
        expect(population).toContain(s.code);
        expect(s.grade).toBe(gradeOfIndex(codes.indexOf(s.code)));
        expect(s.samplingRate).toBe(SAMPLING_RATES[s.grade]);
      }
      expect(result.byGrade).toEqual([
        { grade: 'A', population: 500, selected: selected.filter((s) => s.grade === 'A').length },
        { grade: 'B', population: 490, selected: selected.filter((s) => s.grade === 'B').length },
        { grade: 'C', population: 500, selected: selected.filter((s) => s.grade === 'C').length },
        { grade: 'D', population: 500, selected: selected.filter((s) => s.grade === 'D').length },
      ]);
      // The whole population when size is its size.
      expect((await sample(population.slice(0, 40), 40, 'all')).selected).toHaveLength(40);
    });

    it('over-represents the grades with higher rates (weights 2:5:15:30) on a large population', async () => {
      for (const seed of ['a', 'b', 'c']) {
        const result = await sample(population, 200, seed);
        const selected = Object.fromEntries(result.byGrade.map((g: { grade: string; selected: number }) => [g.grade, g.selected]));
        // Expected roughly D 115, C 58, B 19, A 8 of 200; bounds are generous.
        expect(selected.D).toBeGreaterThan(80);
        expect(selected.D).toBeGreaterThan(selected.C);
        expect(selected.C).toBeGreaterThan(selected.B);
        expect(selected.B).toBeGreaterThan(selected.A);
        expect(selected.A).toBeLessThan(25);
      }
    });

    it('grades the population and reads the ratios with three statements, whatever its size', async () => {
      const { statements } = await countQueries(subgraph.db, () => sample(population, 10, 'one'));
      expect(statements).toHaveLength(3);
    });

    it.each([
      ['an empty seed', { population: codes.slice(0, 5), size: 1, seed: '  ' }, /seed/],
      ['size 0', { population: codes.slice(0, 5), size: 0, seed: 's' }, /size/],
      ['size above the population', { population: codes.slice(0, 5), size: 6, seed: 's' }, /size/],
      ['size above the distinct population', { population: [codes[0]!, codes[0]!.toLowerCase()], size: 2, seed: 's' }, /size/],
      ['an empty population', { population: [], size: 1, seed: 's' }, /population/],
      ['an invalid code', { population: [codes[0]!, '91350100M000100Y44'], size: 1, seed: 's' }, /codes\[1\]/],
      ['more than 10,000 codes', { population: Array.from({ length: 10001 }, () => codes[0]!), size: 1, seed: 's' }, /10000/],
    ])('refuses %s with BAD_USER_INPUT', async (_label, variables, message) => {
      const result = await subgraph.graphql(SAMPLE, variables);
      expect(result.data).toBeNull();
      expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(message);
    });
  });
});

describe('the draw of a subject', () => {
  it('depends on the seed and the code only, and lies in (0, 1]', () => {
    expect(drawFor('s', code(1))).toBe(drawFor('s', code(1)));
    expect(drawFor('s', code(1))).not.toBe(drawFor('s', code(2)));
    expect(drawFor('s', code(1))).not.toBe(drawFor('t', code(1)));
    // The separator keeps (seed "ab", code "c…") and (seed "a", code "bc…") apart.
    expect(drawFor('a', `b${code(1)}`)).not.toBe(drawFor('ab', code(1)));
    const draws = Array.from({ length: 2000 }, (_, i) => drawFor('uniform', code(i)));
    for (const u of draws) expect(u > 0 && u <= 1).toBe(true);
    const mean = draws.reduce((sum, u) => sum + u, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
