import { createPlan, type SeedPlan, type SubjectPlan } from '../scripts/seed/plan';
import { createTaxBuilder } from '../scripts/seed/tax';
import { createCourtsBuilder } from '../scripts/seed/courts';
import { createEnvironmentBuilder } from '../scripts/seed/environment';
import { isoDate } from '../scripts/seed/dates';
import { ENVIRONMENT_VIOLATIONS } from '../scripts/seed/vocabulary';
import { taxSubgraph } from '../subgraphs/tax';
import { courtsSubgraph } from '../subgraphs/courts';
import { environmentSubgraph } from '../subgraphs/environment';
import { writeTaxRecords, type TaxRecords } from '../subgraphs/tax/store';
import { writeCourtRecords, type CourtRecords } from '../subgraphs/courts/store';
import { writeEnvironmentRecords, type EnvironmentRecords } from '../subgraphs/environment/store';
import { startSubgraph, type SubgraphUnderTest } from './helpers/subgraph';

type Builder<R> = (subjects: readonly SubjectPlan[]) => R;

/** Runs a fresh builder over the plan's subjects in chunks and concatenates each table's rows. */
function buildAll<R extends object>(plan: SeedPlan, create: (plan: SeedPlan) => Builder<R>, chunk: number): R {
  const build = create(plan);
  let all: R | undefined;
  for (let start = 0; start < plan.subjects.length; start += chunk) {
    const part = build(plan.subjects.slice(start, start + chunk));
    if (all === undefined) all = part;
    else for (const key of Object.keys(part) as (keyof R)[]) (all[key] as unknown[]).push(...(part[key] as unknown[]));
  }
  return all!;
}

function duplicates(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => (seen.has(key) ? true : (seen.add(key), false)));
}

/** Every row of every table of `records`, with the table name. */
function eachRow(records: object): [string, Record<string, unknown>][] {
  return Object.entries(records).flatMap(([table, rows]) => (rows as Record<string, unknown>[]).map((row): [string, Record<string, unknown>] => [table, row]));
}

function bySubject<T extends { subject_code: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.subject_code);
    if (list) list.push(row);
    else map.set(row.subject_code, [row]);
  }
  return map;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

describe('seed row builders (tax, courts, environment)', () => {
  const plan = createPlan({ subjects: 5000, seed: 3 });
  const reference = isoDate(plan.referenceDate);
  const codes = new Set(plan.subjects.map((s) => s.code));
  const subjectOf = (index: number) => plan.subjects[index]!;
  const tax = buildAll(plan, createTaxBuilder, 1000);
  const courts = buildAll(plan, createCourtsBuilder, 1000);
  const environment = buildAll(plan, createEnvironmentBuilder, 1000);
  const all: [string, object][] = [
    ['tax', tax],
    ['courts', courts],
    ['environment', environment],
  ];

  it('builds a meaningful number of rows of every table', () => {
    for (const [, records] of all) {
      for (const [table, rows] of Object.entries(records)) expect({ table, some: (rows as unknown[]).length > 20 }).toEqual({ table, some: true });
    }
  });

  it('names only planned subjects', () => {
    for (const [, records] of all) {
      const strangers = eachRow(records).filter(([, row]) => !codes.has(row.subject_code as string));
      expect(strangers).toEqual([]);
    }
  });

  it('dates every record before the reference date (planned ends of what still runs excepted)', () => {
    const late: string[] = [];
    for (const [department, records] of all) {
      for (const [table, row] of eachRow(records)) {
        for (const [column, value] of Object.entries(row)) {
          if (!/_on$/.test(column) || value === null) continue;
          expect(value).toMatch(ISO);
          // A publication still running, or a permit in force, ends after the reference date by definition.
          if (column === 'publication_ends_on' || column === 'valid_until') continue;
          if ((value as string) >= reference) late.push(`${department}.${table}.${column}=${value}`);
        }
      }
    }
    expect(late).toEqual([]);
    // Valid permits and running publications end after the reference date, expired ones before.
    for (const permit of environment.dischargePermits) {
      expect(permit.valid_until >= permit.issued_on).toBe(true);
      if (permit.status === 'VALID') expect(permit.valid_until >= reference).toBe(true);
      if (permit.status === 'EXPIRED') expect(permit.valid_until < reference).toBe(true);
    }
  });

  it('keeps the unique keys of the migrations unique', () => {
    expect(duplicates(tax.creditRatings.map((r) => `${r.subject_code}/${r.year}`))).toEqual([]);
    expect(duplicates(tax.majorViolations.map((r) => r.case_number))).toEqual([]);
    expect(duplicates(tax.arrears.map((r) => `${r.subject_code}/${r.notice_number}/${r.tax_type}`))).toEqual([]);
    expect(duplicates(courts.dishonestDebtors.map((r) => `${r.subject_code}/${r.case_number}`))).toEqual([]);
    expect(duplicates(courts.consumptionRestrictions.map((r) => `${r.subject_code}/${r.case_number}`))).toEqual([]);
    expect(duplicates(courts.enforcementCases.map((r) => `${r.subject_code}/${r.case_number}`))).toEqual([]);
    expect(duplicates(environment.creditRatings.map((r) => `${r.subject_code}/${r.year}`))).toEqual([]);
    expect(duplicates(environment.penalties.map((r) => r.decision_number))).toEqual([]);
    expect(duplicates(environment.dischargePermits.map((r) => r.permit_number))).toEqual([]);
  });

  it('writes tax rows as planned: ratings per rated year, violations and arrears by status', () => {
    const ratings = bySubject(tax.creditRatings);
    const violations = bySubject(tax.majorViolations);
    const arrears = bySubject(tax.arrears);
    const natures = ['TAX_EVASION', 'TAX_ARREARS_EVASION', 'TAX_FRAUD', 'FRAUDULENT_EXPORT_REFUND', 'FALSE_INVOICING', 'TAX_RESISTANCE'];
    for (const subject of plan.subjects) {
      const planned = (subject.tax.ratings ?? []).flatMap((level, i) => (level === null ? [] : [{ year: plan.taxYears[i], level }]));
      expect((ratings.get(subject.code) ?? []).map((r) => ({ year: r.year, level: r.level }))).toEqual(planned);
      for (const rating of ratings.get(subject.code) ?? []) {
        const { level, score } = rating;
        if (level === 'M') expect(score).toBeNull();
        else {
          expect(score).not.toBeNull();
          const s = score!;
          expect(s >= 0 && s <= 100 && Math.round(s * 100) / 100 === s).toBe(true);
          if (level === 'A') expect(s).toBeGreaterThanOrEqual(90);
          if (level === 'B') expect(s >= 70 && s < 90).toBe(true);
          if (level === 'C') expect(s >= 40 && s < 70).toBe(true);
          if (level === 'D') expect(s).toBeLessThan(40);
        }
        // Published in April of the next year, after the subject existed.
        expect(rating.assessed_on.slice(0, 7)).toBe(`${rating.year + 1}-04`);
      }

      const cases = violations.get(subject.code) ?? [];
      expect(cases.length).toBe(subject.tax.majorViolation === 'NONE' ? 0 : 1);
      for (const c of cases) {
        expect(natures).toContain(c.nature);
        expect(c.decided_on < c.published_on).toBe(true);
        expect(c.decided_on >= isoDate(subject.establishedOn)).toBe(true);
        if (subject.tax.majorViolation === 'CURRENT') expect(c.removed_on).toBeNull();
        else expect(c.removed_on !== null && c.removed_on > c.published_on).toBe(true);
      }

      const lines = arrears.get(subject.code) ?? [];
      if (subject.tax.arrears === 'NONE') expect(lines).toEqual([]);
      else expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        // Announced in the quarterly list the notice number names.
        const [, year, quarter] = /〔(\d{4})〕(\d)号$/.exec(line.notice_number) ?? [];
        expect(line.announced_on.slice(0, 4)).toBe(year);
        expect(Math.floor((Number(line.announced_on.slice(5, 7)) - 1) / 3) + 1).toBe(Number(quarter));
        expect(lines.every((other) => other.notice_number === line.notice_number && other.announced_on === line.announced_on)).toBe(true);
        if (subject.tax.arrears === 'CURRENT') expect(line.settled_on).toBeNull();
        else expect(line.settled_on !== null && line.settled_on > line.announced_on).toBe(true);
      }
    }
  });

  it('writes court rows as planned: a dishonest listing comes with its restriction order and enforcement case', () => {
    const listings = bySubject(courts.dishonestDebtors);
    const orders = bySubject(courts.consumptionRestrictions);
    const cases = bySubject(courts.enforcementCases);
    const allowed = ['FLIGHTS', 'FIRST_CLASS_RAIL', 'STAR_HOTELS', 'PROPERTY_PURCHASE', 'LUXURY_TRAVEL', 'PRIVATE_SCHOOL_FEES'];
    for (const subject of plan.subjects) {
      const { dishonest, enforcement } = subject.courts;
      const listed = listings.get(subject.code) ?? [];
      const ordered = orders.get(subject.code) ?? [];
      const enforced = cases.get(subject.code) ?? [];
      expect(listed.length).toBe(dishonest === 'NONE' ? 0 : 1);
      expect(ordered.length).toBe(listed.length);
      expect(enforced.length).toBe(listed.length + (enforcement === 'NONE' ? 0 : 1));
      for (const listing of listed) {
        if (dishonest === 'CURRENT') {
          expect(listing.removed_on).toBeNull();
          expect(['NOT_PERFORMED', 'PARTIALLY_PERFORMED']).toContain(listing.performance_status);
        } else {
          expect(listing.removed_on !== null && listing.removed_on > listing.listed_on).toBe(true);
          expect(['PERFORMED', 'PARTIALLY_PERFORMED']).toContain(listing.performance_status);
        }
        const order = ordered.find((o) => o.case_number === listing.case_number);
        expect(order).toBeDefined();
        expect(order!.restricted_person_id).toBe(subject.representative.residentId);
        expect(order!.restricted_person_name).toBe(subject.representative.name);
        expect(order!.restricted_person_id).toMatch(/^[0-9]{17}[0-9X]$/);
        expect(order!.lifted_on).toBe(listing.removed_on);
        expect(order!.issued_on <= listing.listed_on).toBe(true);
        expect(order!.restrictions).toEqual(expect.arrayContaining(['FLIGHTS', 'FIRST_CLASS_RAIL', 'STAR_HOTELS', 'PROPERTY_PURCHASE']));
        expect(order!.restrictions.every((r) => allowed.includes(r))).toBe(true);
        expect(new Set(order!.restrictions).size).toBe(order!.restrictions.length);
        const origin = enforced.find((c) => c.case_number === listing.case_number);
        expect(origin).toBeDefined();
        expect(origin!.filed_on < listing.listed_on).toBe(true);
        expect(origin!.status).toBe(dishonest === 'CURRENT' ? 'PENDING' : 'CLOSED');
      }
      const own = enforced.filter((c) => !listed.some((l) => l.case_number === c.case_number));
      for (const c of own) expect(c.status).toBe(enforcement === 'CURRENT' ? 'PENDING' : 'CLOSED');
    }
    for (const c of courts.enforcementCases) {
      expect((c.status === 'CLOSED') === (c.closed_on !== null)).toBe(true);
      if (c.closed_on !== null) expect(c.closed_on > c.filed_on).toBe(true);
      expect(c.amount).toBeGreaterThan(0);
    }
    // Enforcement case numbers read like （2024）京0105执1234号.
    for (const c of courts.enforcementCases) expect(c.case_number).toMatch(/^（\d{4}）.\d{4}执\d+号$/);
  });

  it('spreads natural persons\' listings over the years, not only the last weeks', () => {
    const persons = new Set(plan.subjects.filter((s) => s.kind === 'NATURAL_PERSON').map((s) => s.code));
    const listedOn = courts.dishonestDebtors.filter((r) => persons.has(r.subject_code)).map((r) => r.listed_on);
    expect(listedOn.length).toBeGreaterThan(10);
    const yearAgo = isoDate(plan.referenceDate - 365);
    expect(listedOn.some((d) => d < yearAgo)).toBe(true);
  });

  it('writes environment rows as planned', () => {
    const ratings = bySubject(environment.creditRatings);
    const penalties = bySubject(environment.penalties);
    const permits = bySubject(environment.dischargePermits);
    const serious = new Set(ENVIRONMENT_VIOLATIONS.filter((v) => v.serious).map((v) => v.violation));
    for (const subject of plan.subjects) {
      const planned = (subject.environment.ratings ?? []).flatMap((level, i) => (level === null ? [] : [{ year: plan.environmentYears[i], level }]));
      expect((ratings.get(subject.code) ?? []).map((r) => ({ year: r.year, level: r.level }))).toEqual(planned);
      for (const rating of ratings.get(subject.code) ?? []) expect(rating.assessed_on.slice(0, 7)).toBe(`${rating.year + 1}-07`);

      const punished = penalties.get(subject.code) ?? [];
      expect(punished.length).toBe(subject.environment.penalty === 'NONE' ? 0 : 1);
      for (const penalty of punished) {
        expect(penalty.serious).toBe(subject.environment.seriousPenalty);
        expect(serious.has(penalty.violation)).toBe(penalty.serious);
        expect(penalty.decided_on < penalty.published_on!).toBe(true);
        // Publication still runs on the reference date for a current penalty, and has ended for a past one.
        if (subject.environment.penalty === 'CURRENT') expect(penalty.publication_ends_on! >= reference).toBe(true);
        else expect(penalty.publication_ends_on! < reference).toBe(true);
      }

      const held = permits.get(subject.code) ?? [];
      if (!subject.environment.permit) expect(held).toEqual([]);
      else {
        expect(held.length).toBeGreaterThan(0);
        const latest = held[held.length - 1]!;
        expect(['VALID', 'REVOKED']).toContain(latest.status);
        for (const permit of held) {
          expect(permit.permit_number.startsWith(subject.code)).toBe(true);
          expect(permit.pollutants.length).toBeGreaterThan(0);
          if (subject.industry?.pollutants) expect(permit.pollutants).toEqual(subject.industry.pollutants);
        }
      }
    }
  });

  it('gives the showcase subjects the records they show', () => {
    const taxSubject = subjectOf(plan.showcase.majorTaxViolation);
    const latestTaxYear = plan.taxYears[plan.taxYears.length - 1];
    expect(tax.majorViolations.filter((r) => r.subject_code === taxSubject.code)).toEqual([
      expect.objectContaining({ removed_on: null, decided_on: expect.stringMatching(new RegExp(`^${latestTaxYear}-`)) }),
    ]);
    expect(tax.creditRatings.find((r) => r.subject_code === taxSubject.code && r.year === latestTaxYear)).toEqual(expect.objectContaining({ level: 'D' }));

    const debtor = subjectOf(plan.showcase.dishonestDebtor);
    const debtorListing = courts.dishonestDebtors.filter((r) => r.subject_code === debtor.code);
    expect(debtorListing).toEqual([expect.objectContaining({ removed_on: null })]);
    expect(courts.consumptionRestrictions.filter((r) => r.subject_code === debtor.code)).toEqual([
      expect.objectContaining({
        case_number: debtorListing[0]!.case_number,
        restricted_person_id: debtor.representative.residentId,
        restricted_person_name: debtor.representative.name,
        lifted_on: null,
      }),
    ]);
    expect(courts.enforcementCases.filter((r) => r.subject_code === debtor.code)).toContainEqual(
      expect.objectContaining({ case_number: debtorListing[0]!.case_number, status: 'PENDING', closed_on: null }),
    );

    const person = subjectOf(plan.showcase.dishonestPerson);
    expect(person.kind).toBe('NATURAL_PERSON');
    expect(courts.dishonestDebtors.filter((r) => r.subject_code === person.code)).toEqual([expect.objectContaining({ removed_on: null })]);
    expect(courts.consumptionRestrictions.filter((r) => r.subject_code === person.code)).toEqual([
      expect.objectContaining({ restricted_person_id: person.code, lifted_on: null }),
    ]);

    const polluter = subjectOf(plan.showcase.environmentalBlack);
    const latestEnvironmentYear = plan.environmentYears[plan.environmentYears.length - 1];
    expect(environment.creditRatings.find((r) => r.subject_code === polluter.code && r.year === latestEnvironmentYear)).toEqual(
      expect.objectContaining({ level: 'BLACK' }),
    );
    const penalty = environment.penalties.filter((r) => r.subject_code === polluter.code);
    expect(penalty).toEqual([expect.objectContaining({ serious: true })]);
    expect(penalty[0]!.publication_ends_on! >= reference).toBe(true);
    expect(environment.dischargePermits.filter((r) => r.subject_code === polluter.code).length).toBeGreaterThan(0);

    const clean = subjectOf(plan.showcase.clean);
    for (const [, records] of all) expect(eachRow(records).filter(([table, row]) => row.subject_code === clean.code && table !== 'creditRatings')).toEqual([]);
  });

  it('puts most arrears notices in the quarterly lists', () => {
    const listed = tax.arrears.filter((line) => /-(01|04|07|10)-15$/.test(line.announced_on));
    expect(listed.length / tax.arrears.length).toBeGreaterThan(0.9);
  });

  it('is deterministic: the same plan gives the same rows, whatever the chunk size', () => {
    const again = createPlan({ subjects: 5000, seed: 3 });
    expect(buildAll(again, createTaxBuilder, 1000)).toEqual(tax);
    expect(buildAll(again, createCourtsBuilder, 1000)).toEqual(courts);
    expect(buildAll(again, createEnvironmentBuilder, 1000)).toEqual(environment);
    expect(buildAll(plan, createTaxBuilder, 700)).toEqual(tax);
    expect(buildAll(plan, createCourtsBuilder, 700)).toEqual(courts);
    expect(buildAll(plan, createEnvironmentBuilder, 700)).toEqual(environment);
  });

  it('gives another seed other rows', () => {
    const other = createPlan({ subjects: 5000, seed: 4 });
    expect(buildAll(other, createCourtsBuilder, 1000)).not.toEqual(courts);
  });
});

describe('seed rows satisfy the department schemas', () => {
  const plan = createPlan({ subjects: 2000, seed: 11 });

  async function count(subgraph: SubgraphUnderTest, table: string): Promise<number> {
    const [row] = await subgraph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return row!.n;
  }

  describe('tax', () => {
    let subgraph: SubgraphUnderTest;
    const rows: TaxRecords = buildAll(plan, createTaxBuilder, 1000);
    beforeAll(async () => {
      subgraph = await startSubgraph(taxSubgraph);
    });
    afterAll(() => subgraph?.close());

    it('inserts every row', async () => {
      await writeTaxRecords(subgraph.db, rows);
      expect(await count(subgraph, 'tax_credit_rating')).toBe(rows.creditRatings.length);
      expect(await count(subgraph, 'major_tax_violation')).toBe(rows.majorViolations.length);
      expect(await count(subgraph, 'tax_arrears_notice')).toBe(rows.arrears.length);
    });
  });

  describe('courts', () => {
    let subgraph: SubgraphUnderTest;
    const rows: CourtRecords = buildAll(plan, createCourtsBuilder, 1000);
    beforeAll(async () => {
      subgraph = await startSubgraph(courtsSubgraph);
    });
    afterAll(() => subgraph?.close());

    it('inserts every row', async () => {
      await writeCourtRecords(subgraph.db, rows);
      expect(await count(subgraph, 'dishonest_debtor')).toBe(rows.dishonestDebtors.length);
      expect(await count(subgraph, 'consumption_restriction_order')).toBe(rows.consumptionRestrictions.length);
      expect(await count(subgraph, 'enforcement_case')).toBe(rows.enforcementCases.length);
    });
  });

  describe('environment', () => {
    let subgraph: SubgraphUnderTest;
    const rows: EnvironmentRecords = buildAll(plan, createEnvironmentBuilder, 1000);
    beforeAll(async () => {
      subgraph = await startSubgraph(environmentSubgraph);
    });
    afterAll(() => subgraph?.close());

    it('inserts every row', async () => {
      await writeEnvironmentRecords(subgraph.db, rows);
      expect(await count(subgraph, 'environmental_credit_rating')).toBe(rows.creditRatings.length);
      expect(await count(subgraph, 'environmental_penalty')).toBe(rows.penalties.length);
      expect(await count(subgraph, 'discharge_permit')).toBe(rows.dischargePermits.length);
    });
  });
});
