import { marketSubgraph } from '../subgraphs/market';
import { environmentSubgraph } from '../subgraphs/environment';
import { workingDaysBetweenSql } from '../lib/publication-timeliness';
import { publishedLate } from '../subgraphs/credit/policy/publicity';
import { buildUscc } from '../lib/identifiers';
import { todayInChina } from '../lib/clock';
import { countQueries, startSubgraph, type SubgraphUnderTest } from './helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '310115', organisationBody: String(60000000 + n).slice(0, 8) });

const COUNTS = 'decided published publishedLate unpublished unpublishedOverdue';
const MARKET = `query($from: String!, $to: String!) {
  marketPublicationTimeliness(from: $from, to: $to) { from to licences { ${COUNTS} } penalties { ${COUNTS} } }
}`;
const ENVIRONMENT = `query($from: String!, $to: String!) {
  environmentPublicationTimeliness(from: $from, to: $to) { from to licences { ${COUNTS} } penalties { ${COUNTS} } }
}`;

/** [decided_on, published_on]. June 2025: the 2nd is a Monday, the 7th and 8th, 14th and 15th are weekends. */
type Decision = [string, string | null];

/**
 * The days off and days worked around the holidays the comparisons below cross, from the State
 * Council's notices: 端午节 2025 (31 May to 2 June), 国庆节、中秋节 2025 (1 to 8 October, 28
 * September and 11 October worked), 春节 2026 (15 to 23 February, 14 and 28 February worked).
 */
const HOLIDAYS = new Set(['2025-05-31', '2025-06-01', '2025-06-02', ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2025-10-${d}`),
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`)]);
const WORKED = new Set(['2025-09-28', '2025-10-11', '2026-02-14', '2026-02-28']);

/** The reference rule by brute force: the deadline is the 7th working day after the decision (Monday to Friday but holidays, and the worked weekend days). */
function isLate(decided: string, published: string): boolean {
  const day = new Date(`${decided}T00:00:00Z`);
  let workingDays = 0;
  while (workingDays < 7) {
    day.setUTCDate(day.getUTCDate() + 1);
    const iso = day.toISOString().slice(0, 10);
    if (WORKED.has(iso) || (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && !HOLIDAYS.has(iso))) workingDays++;
  }
  return published > day.toISOString().slice(0, 10);
}

let number = 0;
async function insertLicences(subgraph: SubgraphUnderTest, decisions: Decision[]) {
  for (const [decided, published] of decisions) {
    await subgraph.db.query(
      `INSERT INTO administrative_licence (subject_code, decision_number, licence_name, content, authority, decided_on, valid_from, published_on)
       VALUES ($1, $2, '食品经营许可证', '许可', '浦东新区市场监管局', $3::date, $3::date, $4::date)`,
      [code(number), `许可-${number++}`, decided, published],
    );
  }
}
async function insertPenalties(subgraph: SubgraphUnderTest, table: 'administrative_penalty' | 'environmental_penalty', decisions: Decision[]) {
  for (const [decided, published] of decisions) {
    const area = table === 'administrative_penalty' ? ', area' : '';
    await subgraph.db.query(
      `INSERT INTO ${table} (subject_code, decision_number, violation, content, basis, authority${area}, decided_on, published_on)
       VALUES ($1, $2, '违法', '罚款', '依据', '主管部门'${area ? ", 'OTHER'" : ''}, $3::date, $4::date)`,
      [code(number), `罚-${number++}`, decided, published],
    );
  }
}

describe('publication timeliness', () => {
  const today = todayInChina();

  describe('market', () => {
    let market: SubgraphUnderTest;
    beforeAll(async () => {
      market = await startSubgraph(marketSubgraph);
      await insertLicences(market, [
        ['2025-06-02', '2025-06-02'], // the same day: on time
        ['2025-06-02', '2025-06-11'], // Monday → Wednesday after next: exactly 7 working days, on time
        ['2025-06-02', '2025-06-12'], // 8 working days: late
        ['2025-06-04', '2025-06-13'], // Wednesday → Friday after next, across a weekend: 7, on time
        ['2025-06-04', '2025-06-14'], // the Saturday after that deadline: late
        ['2025-06-04', '2025-06-16'], // Monday: 8 working days, late
        ['2025-06-06', '2025-06-17'], // Friday → Tuesday after next, across two weekends: 7, on time
        ['2025-06-06', '2025-06-18'], // 8: late
        ['2025-06-07', '2025-06-17'], // decided on a Saturday: 7, on time
        ['2025-06-30', null], // unpublished, long overdue
        ['2025-05-30', '2025-07-30'], // decided before the period
        ['2025-07-01', '2025-09-30'], // decided after the period
      ]);
      await insertPenalties(market, 'administrative_penalty', [
        ['2025-06-05', '2025-06-16'], // Thursday → Monday after next: 7, on time
        ['2025-06-05', '2025-06-17'], // 8: late
        ['2025-06-20', null],
        [today, null], // decided today, not published yet: not overdue
      ]);
    });
    afterAll(() => market?.close());

    it('counts licences and penalties decided in the period: exactly 7 working days is on time, 8 late, weekends not counted', async () => {
      const { result, statements } = await countQueries(market.db, () => market.graphql(MARKET, { from: '2025-06-01', to: '2025-06-30' }));
      expect(result.errors).toBeUndefined();
      expect(statements).toHaveLength(2);
      expect(result.data.marketPublicationTimeliness).toEqual({
        from: '2025-06-01',
        to: '2025-06-30',
        licences: { decided: 10, published: 9, publishedLate: 4, unpublished: 1, unpublishedOverdue: 1 },
        penalties: { decided: 3, published: 2, publishedLate: 1, unpublished: 1, unpublishedOverdue: 1 },
      });
    });

    it('does not count a decision of today as overdue', async () => {
      const result = await market.graphql(MARKET, { from: today, to: today });
      expect(result.data.marketPublicationTimeliness.penalties).toEqual({
        decided: 1,
        published: 0,
        publishedLate: 0,
        unpublished: 1,
        unpublishedOverdue: 0,
      });
      expect(result.data.marketPublicationTimeliness.licences.decided).toBe(0);
    });

    it.each([['2025-05-25'], ['2025-09-20'], ['2026-02-07']])('agrees with a day-by-day count for every decision day of two weeks from %s and every publication day up to three weeks later (holidays and make-up days included)', async (start) => {
      const rows = await market.db.query<{ decided: string; published: string; late: boolean }>(
        `SELECT d::date::text AS decided, p::date::text AS published, ${workingDaysBetweenSql('d::date', 'p::date')} >= 7 AS late
           FROM generate_series($1::date, $1::date + 13, interval '1 day') d,
                generate_series(0, 21) offset_days,
                LATERAL (SELECT d::date + offset_days AS p) publication`,
        [start],
      );
      expect(rows).toHaveLength(14 * 22);
      // Compared with the decision and publication days in view, so a failure names them.
      for (const row of rows) expect(row).toEqual({ ...row, late: isLate(row.decided, row.published) });
      // The credit policy's deadline (lib/calendar.ts working days) is the same rule as the departments' SQL.
      for (const row of rows) expect({ ...row, late: publishedLate(row.decided, row.published) }).toEqual(row);
    });

    it.each([
      [{ from: '2025-06-31', to: '2025-07-01' }, /'from'/],
      [{ from: '2025-07-01', to: '2025-06-01' }, /after/],
      [{ from: '2019-01-01', to: '2025-06-01' }, /5 years/],
    ])('refuses the period %o with BAD_USER_INPUT', async (variables, message) => {
      const result = await market.graphql(MARKET, variables);
      expect(result.data).toBeNull();
      expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(message);
    });
  });

  describe('environment', () => {
    let environment: SubgraphUnderTest;
    beforeAll(async () => {
      environment = await startSubgraph(environmentSubgraph);
      await insertPenalties(environment, 'environmental_penalty', [
        ['2025-06-04', '2025-06-13'], // 7 across a weekend: on time
        ['2025-06-04', '2025-06-16'], // 8: late
        ['2025-06-04', null],
        ['2025-07-04', '2025-07-04'], // outside
      ]);
    });
    afterAll(() => environment?.close());

    it('counts environmental penalties and has no licences', async () => {
      const result = await environment.graphql(ENVIRONMENT, { from: '2025-06-01', to: '2025-06-30' });
      expect(result.errors).toBeUndefined();
      expect(result.data.environmentPublicationTimeliness).toEqual({
        from: '2025-06-01',
        to: '2025-06-30',
        licences: null,
        penalties: { decided: 3, published: 2, publishedLate: 1, unpublished: 1, unpublishedOverdue: 1 },
      });
    });
  });
});
