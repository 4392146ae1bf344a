import { creditSubgraph } from '../../subgraphs/credit';
import {
  catalogueProblems,
  catalogueVersion,
  measuresFor,
  publishCatalogue,
  type Catalogue,
  type Measure,
  type MeasureInput,
} from '../../subgraphs/credit/catalogue';
import { DEPARTMENTS, SCENARIOS, TRIGGERS, TRIGGER_NAMES, type Department, type Scenario, type Trigger } from '../../subgraphs/credit/vocabulary';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

/** The black list (DESIGN.md): dishonest judgment debtors, major tax violations, the serious list, serious penalties, environmental BLACK, commitment breach. */
const BLACK_LIST_TRIGGERS: Trigger[] = [
  'DISHONEST_JUDGMENT_DEBTOR',
  'MAJOR_TAX_VIOLATION',
  'SERIOUS_VIOLATION_LIST',
  'SERIOUS_PENALTY',
  'ENVIRONMENTAL_RATING_BLACK',
  'COMMITMENT_BREACH',
];
/** Dishonest conduct below the black-list threshold. */
const KEY_ATTENTION_TRIGGERS: Trigger[] = ['TAX_RATING_D', 'TAX_ARREARS', 'ABNORMAL_OPERATIONS', 'ADMINISTRATIVE_PENALTY', 'ENVIRONMENTAL_RATING_RED'];

const MEASURE_FIELDS = `code name description kind mandatory channel effect triggers scenarios initiatingDepartments
  implementingDepartments personLevel legalBasis periodMonths`;

const CATALOGUE = `query($version: Int, $scenario: Scenario, $kind: MeasureKind) {
  measureCatalogue(version: $version) { version publishedAt note measures(scenario: $scenario, kind: $kind) { ${MEASURE_FIELDS} } }
}`;

const PUBLISH = `mutation($input: PublishMeasureCatalogueInput!) {
  publishMeasureCatalogue(input: $input) { version publishedAt note measures { ${MEASURE_FIELDS} } }
}`;

interface CatalogueView {
  version: number;
  publishedAt: string;
  note: string;
  measures: Measure[];
}

/** The departments whose records can be the measure's triggers, in vocabulary order. */
const departmentsOf = (triggers: readonly Trigger[]): Department[] =>
  DEPARTMENTS.filter((department) => triggers.some((trigger) => (TRIGGERS[trigger].departments as readonly Department[]).includes(department)));

const sortedCodes = (measures: readonly { code: string }[]) => measures.map((m) => m.code);

describe('measures catalogue', () => {
  let subgraph: SubgraphUnderTest;
  let v1: CatalogueView;
  /** The version migration 008 adds: version 1 and the responsible persons' honours measure. */
  let v2: CatalogueView;
  /** The version migration 012 adds: the person-level measures of every scenario, the contract-honouring incentives. */
  let v3: CatalogueView;
  /** The version migration 017 adds: an overdue rectification on key attention. */
  let v4: CatalogueView;
  /** The latest version a new database has: 5, migration 020 (the bar on senior posts for every black-listed organisation's representative). */
  let latest: CatalogueView;

  const read = async (variables: Record<string, unknown> = {}): Promise<CatalogueView> => {
    const result = await subgraph.graphql(CATALOGUE, variables);
    expect(result.errors).toBeUndefined();
    return result.data.measureCatalogue;
  };
  const counts = async () =>
    (
      await subgraph.db.query<{ versions: number; measures: number }>(
        'SELECT (SELECT count(*) FROM catalogue_version)::int AS versions, (SELECT count(*) FROM measure)::int AS measures',
      )
    )[0]!;

  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
    v1 = await read({ version: 1 });
    v2 = await read({ version: 2 });
    v3 = await read({ version: 3 });
    v4 = await read({ version: 4 });
    latest = await read();
  });
  afterAll(() => subgraph?.close());

  describe('version 1 (inserted by the migration)', () => {
    it('is followed on a new database by version 2 (migration 008): the same measures and the responsible persons\' honours disqualification', () => {
      expect(v2.version).toBe(2);
      expect(sortedCodes(v2.measures)).toEqual([...sortedCodes(v1.measures), 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED'].sort());
      const persons = v2.measures.find((m) => m.code === 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED')!;
      expect(persons).toEqual(expect.objectContaining({ kind: 'PUNISHMENT', effect: 'PROHIBIT', personLevel: true, scenarios: ['HONORS_AND_AWARDS'] }));
      expect(persons.triggers).toContain('REPRESENTS_BLACKLISTED_ENTITY');
      for (const measure of v1.measures) expect(v2.measures.find((m) => m.code === measure.code)).toEqual(measure);
    });

    it('is followed by version 3 (migration 012): a person-level measure in every scenario, P_NO_SENIOR_POST initiated by any determining department, and the red-list incentives for 守合同重信用', () => {
      expect(v3.version).toBe(3);
      const persons = ['P_RESPONSIBLE_PERSONS_TRADING_RESTRICTION', 'P_RESPONSIBLE_PERSONS_FINANCING_CAUTION', 'P_RESPONSIBLE_PERSONS_FISCAL_SUPPORT_RESTRICTION', 'P_RESPONSIBLE_PERSONS_FOCUSED_SUPERVISION'];
      expect(sortedCodes(v3.measures)).toEqual([...sortedCodes(v2.measures), ...persons].sort());
      // Every scenario the catalogue names has a person-level measure that a represented entity's black-listing applies.
      for (const scenario of SCENARIOS) {
        expect({ scenario, reached: v3.measures.some((m) => m.personLevel && m.scenarios.includes(scenario) && m.triggers.includes('REPRESENTS_BLACKLISTED_ENTITY')) }).toEqual({ scenario, reached: true });
      }
      for (const code of persons) {
        expect(v3.measures.find((m) => m.code === code)).toEqual(
          expect.objectContaining({ kind: 'PUNISHMENT', effect: 'RESTRICT', personLevel: true, triggers: [...BLACK_LIST_TRIGGERS, 'REPRESENTS_BLACKLISTED_ENTITY'] }),
        );
      }
      expect(v3.measures.find((m) => m.code === 'P_NO_SENIOR_POST')!.initiatingDepartments).toEqual([...DEPARTMENTS]);
      for (const measure of v3.measures.filter((m) => m.kind === 'INCENTIVE' && m.triggers.includes('TAX_RATING_A'))) {
        expect(measure.triggers).toContain('CONTRACT_HONOURING');
        expect(measure.initiatingDepartments).toContain('MARKET');
        expect(measure.legalBasis).toContain('守合同重信用');
      }
      // Everything else is version 2's.
      for (const measure of v2.measures.filter((m) => m.code !== 'P_NO_SENIOR_POST' && m.kind !== 'INCENTIVE')) expect(v3.measures.find((m) => m.code === measure.code)).toEqual(measure);
    });

    it('is followed by version 4 (migration 017): an overdue rectification (RECTIFICATION_OVERDUE, the credit office\'s) applies the key-attention measures', () => {
      expect(v4.version).toBe(4);
      expect(sortedCodes(v4.measures)).toEqual(sortedCodes(v3.measures));
      const keyAttention = v4.measures.filter((m) => m.triggers.includes('ABNORMAL_OPERATIONS'));
      expect(keyAttention.length).toBeGreaterThan(0);
      for (const measure of keyAttention) {
        expect(measure.triggers).toContain('RECTIFICATION_OVERDUE');
        expect(measure.initiatingDepartments).toContain('CREDIT_OFFICE');
      }
      for (const measure of v4.measures.filter((m) => !m.triggers.includes('ABNORMAL_OPERATIONS'))) expect(v3.measures.find((m) => m.code === measure.code)).toEqual(measure);
    });

    it('is followed by version 5 (migration 020): the bar on senior posts reaches the legal representative of every black-listed organisation', () => {
      // Found by a black-box review: a company black-listed by tax carried no person-level measure in licensing, while its
      // representative's own check was barred.
      expect(latest.version).toBe(5);
      const seniorPost = latest.measures.find((m) => m.code === 'P_NO_SENIOR_POST')!;
      expect(seniorPost.triggers).toEqual([...BLACK_LIST_TRIGGERS, 'REPRESENTS_BLACKLISTED_ENTITY']);
      for (const measure of latest.measures.filter((m) => m.code !== 'P_NO_SENIOR_POST')) expect(v4.measures.find((m) => m.code === measure.code)).toEqual(measure);
      expect(seniorPost).toEqual({ ...v4.measures.find((m) => m.code === 'P_NO_SENIOR_POST')!, triggers: seniorPost.triggers });
    });

    it('is version 1, ordered by code', () => {
      expect(v1.version).toBe(1);
      expect(new Date(v1.publishedAt).toISOString()).toBe(v1.publishedAt);
      expect(v1.note).not.toBe('');
      expect(sortedCodes(v1.measures)).toEqual([...sortedCodes(v1.measures)].sort());
      expect(v1.measures.length).toBeGreaterThanOrEqual(20);
    });

    it('covers every trigger of the vocabulary and every scenario (the latest version)', () => {
      // Listed when missing, so a failure names them.
      expect(TRIGGER_NAMES.filter((trigger) => !latest.measures.some((m) => m.triggers.includes(trigger)))).toEqual([]);
      for (const scenario of SCENARIOS) {
        // Every scenario has punishments and incentives.
        expect(v1.measures.some((m) => m.scenarios.includes(scenario) && m.kind === 'PUNISHMENT')).toBe(true);
        expect(v1.measures.some((m) => m.scenarios.includes(scenario) && m.kind === 'INCENTIVE')).toBe(true);
      }
      // Every adverse trigger is punished in some scenario, every creditworthy one rewarded.
      for (const trigger of TRIGGER_NAMES) {
        const kind = TRIGGERS[trigger].polarity === 'ADVERSE' ? 'PUNISHMENT' : 'INCENTIVE';
        expect(v1.measures.filter((m) => m.triggers.includes(trigger)).every((m) => m.kind === kind)).toBe(true);
      }
    });

    it('bars every black-list trigger from public-resource trading with a mandatory PROHIBIT measure', () => {
      for (const trigger of BLACK_LIST_TRIGGERS) {
        const barring = measuresFor(v1, 'PUBLIC_RESOURCE_TRADING', new Set([trigger])).filter(
          (m) => m.kind === 'PUNISHMENT' && m.mandatory && m.effect === 'PROHIBIT',
        );
        expect({ trigger, barring: barring.map((m) => m.code) }).toEqual({ trigger, barring: ['P_BARRED_FROM_PUBLIC_RESOURCE_TRADING'] });
      }
    });

    it('gives every black-list trigger a mandatory measure in every scenario, and key attention only recommended restrictions', () => {
      for (const trigger of BLACK_LIST_TRIGGERS) {
        for (const scenario of SCENARIOS) {
          expect({ trigger, scenario, mandatory: measuresFor(v1, scenario, new Set([trigger])).some((m) => m.mandatory) }).toEqual({
            trigger,
            scenario,
            mandatory: true,
          });
        }
      }
      for (const trigger of KEY_ATTENTION_TRIGGERS) {
        const measures = v1.measures.filter((m) => m.triggers.includes(trigger));
        expect(measures.map((m) => [m.code, m.mandatory, m.effect])).toEqual(measures.map((m) => [m.code, false, 'RESTRICT']));
        expect(measures.map((m) => m.code)).toEqual(expect.arrayContaining(['P_KEY_ATTENTION_STRICT_REVIEW', 'P_KEY_ATTENTION_MORE_INSPECTION']));
      }
    });

    it('has the measures DESIGN.md lists, with their scenario, effect and level', () => {
      const byCode = new Map(v1.measures.map((m) => [m.code, m]));
      const expectMeasure = (code: string, fields: Partial<Measure>) => expect(byCode.get(code)).toEqual(expect.objectContaining(fields));
      expectMeasure('P_LICENCE_STRICT_REVIEW', { kind: 'PUNISHMENT', effect: 'RESTRICT', scenarios: ['ADMINISTRATIVE_LICENSING'] });
      expectMeasure('P_NO_NEW_PROJECT_APPROVAL', { effect: 'PROHIBIT', scenarios: ['ADMINISTRATIVE_LICENSING'] });
      expectMeasure('P_NO_FISCAL_FUNDS', { effect: 'PROHIBIT', scenarios: ['FISCAL_SUPPORT'], mandatory: true });
      expectMeasure('P_NO_BOND_ISSUANCE', { scenarios: ['FINANCIAL_SERVICES'] });
      expectMeasure('P_LOAN_RESTRICTION', { scenarios: ['FINANCIAL_SERVICES'], channel: 'MARKET' });
      expectMeasure('P_HONOURS_DISQUALIFIED', { scenarios: ['HONORS_AND_AWARDS'], effect: 'PROHIBIT' });
      expectMeasure('P_NO_SENIOR_POST', { personLevel: true, effect: 'PROHIBIT' });
      expectMeasure('P_RESTRICTED_HIGH_CONSUMPTION', { personLevel: true, triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'CONSUMPTION_RESTRICTION'] });
      expectMeasure('P_PUBLIC_DISCLOSURE', { channel: 'SOCIAL', scenarios: [...SCENARIOS] });
      expectMeasure('P_FOCUSED_SUPERVISION', { scenarios: ['REGULATORY_INSPECTION'], effect: 'RESTRICT' });
      expectMeasure('P_INDUSTRY_DISCIPLINE', { channel: 'INDUSTRY' });
      for (const code of ['I_GREEN_CHANNEL', 'I_ACCEPT_WITH_MISSING_DOCUMENTS']) {
        expectMeasure(code, {
          kind: 'INCENTIVE',
          effect: 'FACILITATE',
          scenarios: ['ADMINISTRATIVE_LICENSING'],
          triggers: expect.arrayContaining(['TAX_RATING_A', 'ENVIRONMENTAL_RATING_GREEN', 'NO_ADVERSE_RECORD_3_YEARS']),
        });
      }
      expectMeasure('I_SUBSIDY_AND_INVESTMENT_PRIORITY', { scenarios: ['FISCAL_SUPPORT'] });
      expectMeasure('I_TRADING_CREDIT_BONUS', { scenarios: ['PUBLIC_RESOURCE_TRADING'] });
      expectMeasure('I_FEWER_INSPECTIONS', { scenarios: ['REGULATORY_INSPECTION'] });
      expectMeasure('I_BETTER_FINANCING_TERMS', { scenarios: ['FINANCIAL_SERVICES'] });
      // Only the person-level measures are person level; all four channels are used.
      expect(v1.measures.filter((m) => m.personLevel).map((m) => m.code)).toEqual(['P_NO_SENIOR_POST', 'P_RESTRICTED_HIGH_CONSUMPTION']);
      expect(new Set(v1.measures.map((m) => m.channel))).toEqual(new Set(['ADMINISTRATIVE', 'MARKET', 'INDUSTRY', 'SOCIAL']));
    });

    it('names as initiating departments exactly the departments whose records are its triggers (the latest version)', () => {
      for (const measure of latest.measures) {
        expect({ code: measure.code, initiating: measure.initiatingDepartments }).toEqual({
          code: measure.code,
          initiating: departmentsOf(measure.triggers),
        });
      }
    });

    it('gives every measure a Chinese name, a legal basis citing a document, and implementing departments', () => {
      for (const measure of [...v1.measures, ...latest.measures]) {
        expect(measure.name).toMatch(/[\u4e00-\u9fff]/);
        expect(measure.description).toMatch(/[\u4e00-\u9fff]/);
        expect(measure.legalBasis).toMatch(/《[^》]+》/);
        expect(measure.implementingDepartments.length).toBeGreaterThan(0);
        expect(measure.periodMonths === null || measure.periodMonths > 0).toBe(true);
      }
      expect(v1.measures.find((m) => m.code === 'P_RESTRICTED_HIGH_CONSUMPTION')!.legalBasis).toContain('最高人民法院关于限制被执行人高消费');
      expect(v1.measures.find((m) => m.code === 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING')!.legalBasis).toContain('国发〔2016〕33号');
    });

    it('would itself pass the validation of publishMeasureCatalogue', () => {
      expect(catalogueProblems({ note: v1.note, measures: v1.measures })).toEqual([]);
      expect(catalogueProblems({ note: latest.note, measures: latest.measures })).toEqual([]);
    });
  });

  describe('measures(scenario, kind)', () => {
    it('filters by scenario, by kind, and by both', async () => {
      const trading = await read({ scenario: 'PUBLIC_RESOURCE_TRADING' });
      expect(trading.measures.length).toBeGreaterThan(0);
      expect(trading.measures.every((m) => m.scenarios.includes('PUBLIC_RESOURCE_TRADING'))).toBe(true);
      expect(sortedCodes(trading.measures)).toEqual(sortedCodes(latest.measures.filter((m) => m.scenarios.includes('PUBLIC_RESOURCE_TRADING'))));

      const incentives = await read({ kind: 'INCENTIVE' });
      expect(sortedCodes(incentives.measures)).toEqual(sortedCodes(latest.measures.filter((m) => m.kind === 'INCENTIVE')));

      const both = await read({ scenario: 'ADMINISTRATIVE_LICENSING', kind: 'INCENTIVE' });
      expect(sortedCodes(both.measures)).toEqual(['I_ACCEPT_WITH_MISSING_DOCUMENTS', 'I_GREEN_CHANNEL']);
    });
  });

  describe('measureCatalogue(version)', () => {
    it('refuses a version that does not exist, or is not a positive number, with BAD_USER_INPUT', async () => {
      const missing = await subgraph.graphql(CATALOGUE, { version: 99 });
      expect(missing.data).toBeNull();
      expect(missing.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', version: 99 }));
      expect(missing.errors![0].message).toMatch(/version 99 does not exist/);

      for (const version of [0, -1]) {
        const invalid = await subgraph.graphql(CATALOGUE, { version });
        expect(invalid.errors![0].extensions.code).toBe('BAD_USER_INPUT');
        expect(invalid.errors![0].message).toMatch(/positive integer/);
      }
    });

    it('is immutable in the database: a published measure cannot be updated or deleted', async () => {
      await expect(subgraph.db.query("UPDATE measure SET name = 'x' WHERE version = 1")).rejects.toThrow(/cannot change/);
      await expect(subgraph.db.query('DELETE FROM catalogue_version WHERE version = 1')).rejects.toThrow(/cannot change/);
      expect(await read({ version: 1 })).toEqual(v1);
    });
  });

  describe('publishMeasureCatalogue', () => {
    // A new version builds on the one in force: it may not punish less (policy/catalogue.ts).
    const valid = (): MeasureInput[] => latest.measures.map((m) => ({ ...m }));
    const refused = async (measures: MeasureInput[], message: RegExp, note = '测试') => {
      const before = await counts();
      const result = await subgraph.graphql(PUBLISH, { input: { note, measures } });
      expect(result.data).toEqual({ publishMeasureCatalogue: null });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(message);
      expect(result.errors![0].extensions.problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(await counts()).toEqual(before);
    };

    it('refuses duplicate codes, naming both', async () => {
      const measures = valid();
      measures.push({ ...measures[0]!, name: '重复' });
      await refused(measures, new RegExp(`measures\\[${measures.length - 1}\\] \\(${measures[0]!.code}\\): duplicate code ${measures[0]!.code} \\(also measures\\[0\\]\\)`));
    });

    it('refuses empty triggers, scenarios, initiating and implementing departments', async () => {
      for (const [field, message] of [
        ['triggers', /measures\[3\] \(\w+\): triggers is empty/],
        ['scenarios', /measures\[3\] \(\w+\): scenarios is empty/],
        ['initiatingDepartments', /initiatingDepartments is empty/],
        ['implementingDepartments', /implementingDepartments is empty/],
      ] as const) {
        const measures = valid();
        measures[3] = { ...measures[3]!, [field]: [] };
        await refused(measures, message);
      }
    });

    it('refuses unknown triggers, scenarios and departments (callers of the function are not checked by GraphQL)', async () => {
      const publish = async (change: Partial<MeasureInput>, message: RegExp) => {
        const before = await counts();
        const measures = valid();
        measures[0] = { ...measures[0]!, ...change };
        const error = await publishCatalogue(subgraph.db, { note: '测试', measures }, 'test').then(
          () => null,
          (e: unknown) => e as { message: string; extensions: Record<string, unknown> },
        );
        expect(error?.extensions.code).toBe('BAD_USER_INPUT');
        expect(error?.message).toMatch(message);
        expect(await counts()).toEqual(before);
      };
      await publish({ triggers: ['TAX_RATING_A', 'TAX_RATING_Z' as Trigger] }, /unknown trigger TAX_RATING_Z in triggers/);
      await publish({ scenarios: ['HOUSING' as Scenario] }, /unknown scenario HOUSING in scenarios/);
      await publish({ initiatingDepartments: ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'POLICE' as Department] }, /unknown department POLICE/);
      await publish({ kind: 'REWARD' as never }, /unknown kind REWARD/);
      await publish({ code: 'lower-case' }, /code must be/);
    });

    it('refuses measures inconsistent with the vocabulary, naming each problem', async () => {
      const measures = valid();
      const incentive = measures.findIndex((m) => m.code === 'I_GREEN_CHANNEL');
      const punishment = measures.findIndex((m) => m.code === 'P_NO_FISCAL_FUNDS');
      measures[incentive] = { ...measures[incentive]!, triggers: ['TAX_RATING_A', 'TAX_ARREARS'], effect: 'PROHIBIT' };
      measures[punishment] = { ...measures[punishment]!, initiatingDepartments: ['COURTS'], periodMonths: 0 };
      const result = await subgraph.graphql(PUBLISH, { input: { note: '测试', measures } });
      expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions.problems).toEqual([
        `measures[${incentive}] (I_GREEN_CHANNEL): effect PROHIBIT does not fit kind INCENTIVE: an incentive facilitates, a punishment prohibits or restricts`,
        `measures[${incentive}] (I_GREEN_CHANNEL): an incentive cannot be triggered by TAX_ARREARS (adverse records)`,
        `measures[${incentive}] (I_GREEN_CHANNEL): initiating department MARKET, COURTS, ENVIRONMENT holds none of the records that trigger it (TAX_RATING_A, TAX_ARREARS)`,
        `measures[${punishment}] (P_NO_FISCAL_FUNDS): no initiating department for trigger MAJOR_TAX_VIOLATION (its records are held by TAX)`,
        `measures[${punishment}] (P_NO_FISCAL_FUNDS): no initiating department for trigger SERIOUS_VIOLATION_LIST (its records are held by MARKET)`,
        `measures[${punishment}] (P_NO_FISCAL_FUNDS): no initiating department for trigger SERIOUS_PENALTY (its records are held by MARKET, ENVIRONMENT)`,
        `measures[${punishment}] (P_NO_FISCAL_FUNDS): no initiating department for trigger ENVIRONMENTAL_RATING_BLACK (its records are held by ENVIRONMENT)`,
        `measures[${punishment}] (P_NO_FISCAL_FUNDS): no initiating department for trigger COMMITMENT_BREACH (its records are held by CREDIT_OFFICE)`,
        `measures[${punishment}] (P_NO_FISCAL_FUNDS): periodMonths must be a whole number of months from 1 to 120, or null (while the record is in force), got 0`,
      ]);
    });

    it('refuses a version that would punish less than the one in force: no mandatory measure dropped, no record left unpunished', async () => {
      // Found by a black-box review: a version without the debtor triggers was accepted, and a black-listed debtor answered CLEAR.
      const withoutDebtors = valid().map((m) => ({ ...m, triggers: m.triggers.filter((t) => t !== 'DISHONEST_JUDGMENT_DEBTOR' && t !== 'CONSUMPTION_RESTRICTION') }))
        .filter((m) => m.triggers.length > 0)
        .map((m) => ({ ...m, initiatingDepartments: m.initiatingDepartments.filter((d) => m.triggers.some((t) => (TRIGGERS[t].departments as readonly string[]).includes(d))) }));
      await refused(withoutDebtors, /DISHONEST_JUDGMENT_DEBTOR in PUBLIC_RESOURCE_TRADING \(subject\) would be punished not at all; the version in force has PROHIBIT/);
      await refused(withoutDebtors, /mandatory measure P_BARRED_FROM_PUBLIC_RESOURCE_TRADING is weakened/);
      const mandatory = latest.measures.find((m) => m.code === 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING')!;
      expect(mandatory.mandatory).toBe(true);
      await refused(valid().filter((m) => m.code !== mandatory.code), /mandatory measure P_BARRED_FROM_PUBLIC_RESOURCE_TRADING is missing/);
      await refused(valid().map((m) => (m.code === mandatory.code ? { ...m, effect: 'RESTRICT' as const } : m)), /P_BARRED_FROM_PUBLIC_RESOURCE_TRADING is weakened/);
      await refused(valid().map((m) => (m.code === mandatory.code ? { ...m, mandatory: false } : m)), /P_BARRED_FROM_PUBLIC_RESOURCE_TRADING is weakened/);
      const result = await subgraph.graphql(PUBLISH, { input: { note: '测试', measures: withoutDebtors } });
      expect(result.errors![0].extensions.reason).toBe('WEAKENS_CATALOGUE');
      expect((await catalogueVersion(subgraph.db)).version).toBe(latest.version);
    });

    it('refuses a period no date can hold (found by a black-box review: every check failed after one was published)', async () => {
      for (const periodMonths of [121, 100_000, 2_147_483_647]) {
        await refused(valid().map((m, i) => (i === 0 ? { ...m, periodMonths } : m)), new RegExp(`periodMonths must be a whole number of months from 1 to 120, or null \\(while the record is in force\\), got ${periodMonths}`));
      }
    });

    it('refuses an empty catalogue and an empty note', async () => {
      await refused([], /measures is empty/);
      await refused(valid(), /note is empty/, '  ');
    });

    it('publishes version 6 as the latest while version 1 stays readable unchanged', async () => {
      // Warm the in-process cache of the latest version first (5, migration 020): it must not hide version 6.
      expect((await catalogueVersion(subgraph.db)).version).toBe(5);

      const measures = valid().filter((m) => m.code !== 'P_INDUSTRY_DISCIPLINE');
      measures.push({
        code: 'P_WORK_SAFETY_PERMIT_SUSPENSION',
        name: '暂停安全生产许可证审批',
        description: '一年内不予办理安全生产许可证的新发和延续。',
        kind: 'PUNISHMENT',
        mandatory: true,
        channel: 'ADMINISTRATIVE',
        effect: 'PROHIBIT',
        // Out of vocabulary order: stored in vocabulary order.
        triggers: ['SERIOUS_PENALTY', 'DISHONEST_JUDGMENT_DEBTOR'],
        scenarios: ['ADMINISTRATIVE_LICENSING'],
        initiatingDepartments: ['ENVIRONMENT', 'COURTS', 'MARKET'],
        implementingDepartments: ['应急管理'],
        personLevel: false,
        legalBasis: '《安全生产许可证条例》',
        periodMonths: 12,
      });
      const result = await subgraph.graphql(PUBLISH, { input: { note: '新增安全生产许可限制；行业惩戒移出', measures } });
      expect(result.errors).toBeUndefined();
      const published: CatalogueView = result.data.publishMeasureCatalogue;
      expect(published.version).toBe(6);
      expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(Date.parse(v1.publishedAt));
      expect(sortedCodes(published.measures)).toEqual(sortedCodes(measures).sort());
      expect(published.measures.find((m) => m.code === 'P_WORK_SAFETY_PERMIT_SUSPENSION')).toEqual(
        expect.objectContaining({
          triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'SERIOUS_PENALTY'],
          initiatingDepartments: ['MARKET', 'COURTS', 'ENVIRONMENT'],
          periodMonths: 12,
        }),
      );

      expect(await read()).toEqual(published);
      expect((await catalogueVersion(subgraph.db)).version).toBe(6);
      // A check decided with version 1 is explained with version 1 as it was.
      expect(await read({ version: 1 })).toEqual(v1);
      expect((await catalogueVersion(subgraph.db, 1)).measures.map((m) => m.code)).toContain('P_INDUSTRY_DISCIPLINE');
      expect(await counts()).toEqual({ versions: 6, measures: v1.measures.length + v2.measures.length + v3.measures.length + v4.measures.length + latest.measures.length + measures.length });
    });

    it('numbers publications made at the same time one after another', async () => {
      const inForce = await catalogueVersion(subgraph.db);
      const before = inForce.version;
      const published = await Promise.all(
        [1, 2, 3].map((n) => publishCatalogue(subgraph.db, { note: `并发发布 ${n}`, measures: inForce.measures.map((m) => ({ ...m })) }, 'test')),
      );
      expect(published.map((c) => c.version).sort()).toEqual([before + 1, before + 2, before + 3]);
      expect((await catalogueVersion(subgraph.db)).version).toBe(before + 3);
      expect((await catalogueVersion(subgraph.db, before + 1)).publishedBy).toBe('test');
    });

    it('lets the credit office correct a measure published in error in the version in force, never below the version before it', async () => {
      // Found by a black-box review: one mistaken version (tax arrears barring every honour) could never be undone.
      const before = await catalogueVersion(subgraph.db);
      const mistaken = [...before.measures.map((m) => ({ ...m })), { ...before.measures.find((m) => m.code === 'P_NO_FISCAL_FUNDS')!, code: 'P_TYPO_HONOURS_BAN', triggers: ['TAX_ARREARS' as Trigger], scenarios: ['HONORS_AND_AWARDS' as Scenario], initiatingDepartments: ['TAX' as Department] }];
      const wrong = await publishCatalogue(subgraph.db, { note: '误发', measures: mistaken }, 'test');
      const undo = before.measures.map((m) => ({ ...m }));
      // Without saying it corrects the version: refused as any weakening.
      await refused(undo, /TAX_ARREARS in HONORS_AND_AWARDS \(subject\) would be punished with RESTRICT only; the version in force has PROHIBIT|TAX_ARREARS in HONORS_AND_AWARDS \(subject\) would be punished not at all/);
      // Correcting another version than the one in force, or going below the version before it: refused.
      for (const corrects of [before.version, wrong.version + 1, 1]) {
        const result = await subgraph.graphql(PUBLISH, { input: { note: '更正', measures: undo, corrects } });
        expect(result.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'NOT_CORRECTABLE' }));
      }
      const belowFloor = undo.filter((m) => m.code !== 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING');
      const refusedBelow = await subgraph.graphql(PUBLISH, { input: { note: '更正', measures: belowFloor, corrects: wrong.version } });
      expect(refusedBelow.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'WEAKENS_CATALOGUE' }));
      expect(refusedBelow.errors![0].message).toContain(`it would punish less than version ${before.version}`);
      // The correction: back to the version before, recorded as such.
      const corrected = await subgraph.graphql(PUBLISH.replace('version publishedAt note', 'version publishedAt note corrects'), { input: { note: '更正误发的措施', measures: undo, corrects: wrong.version } });
      expect(corrected.errors).toBeUndefined();
      expect(corrected.data.publishMeasureCatalogue).toEqual(expect.objectContaining({ version: wrong.version + 1, corrects: wrong.version }));
      expect(sortedCodes(corrected.data.publishMeasureCatalogue.measures)).toEqual(sortedCodes(before.measures));
    });
  });
});

describe('measuresFor', () => {
  const measure = (code: string, triggers: Trigger[], scenarios: Scenario[]): Measure => ({
    code,
    name: code,
    description: '',
    kind: TRIGGERS[triggers[0]!].polarity === 'ADVERSE' ? 'PUNISHMENT' : 'INCENTIVE',
    mandatory: true,
    channel: 'ADMINISTRATIVE',
    effect: TRIGGERS[triggers[0]!].polarity === 'ADVERSE' ? 'PROHIBIT' : 'FACILITATE',
    triggers,
    scenarios,
    initiatingDepartments: departmentsOf(triggers),
    implementingDepartments: ['财政'],
    personLevel: false,
    legalBasis: '《测试》',
    periodMonths: null,
  });
  // Deliberately not in code order.
  const catalogue: Pick<Catalogue, 'measures'> = {
    measures: [
      measure('P_C', ['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION'], ['PUBLIC_RESOURCE_TRADING', 'FISCAL_SUPPORT']),
      measure('P_A', ['MAJOR_TAX_VIOLATION'], ['PUBLIC_RESOURCE_TRADING']),
      measure('I_B', ['TAX_RATING_A'], ['PUBLIC_RESOURCE_TRADING']),
      measure('P_B', ['TAX_ARREARS'], ['FISCAL_SUPPORT']),
    ],
  };
  const codes = (scenario: Scenario, triggers: Trigger[]) => measuresFor(catalogue, scenario, new Set(triggers)).map((m) => m.code);

  it('returns the measures whose scenarios include the scenario and whose triggers intersect the set, by code', () => {
    expect(codes('PUBLIC_RESOURCE_TRADING', ['MAJOR_TAX_VIOLATION'])).toEqual(['P_A', 'P_C']);
    expect(codes('PUBLIC_RESOURCE_TRADING', ['MAJOR_TAX_VIOLATION', 'TAX_RATING_A', 'TAX_ARREARS'])).toEqual(['I_B', 'P_A', 'P_C']);
    expect(codes('FISCAL_SUPPORT', ['MAJOR_TAX_VIOLATION', 'TAX_ARREARS'])).toEqual(['P_B', 'P_C']);
    expect(codes('FISCAL_SUPPORT', ['DISHONEST_JUDGMENT_DEBTOR'])).toEqual(['P_C']);
  });

  it('returns nothing for no triggers, a trigger no measure has, or a scenario no measure applies in', () => {
    expect(codes('PUBLIC_RESOURCE_TRADING', [])).toEqual([]);
    expect(codes('PUBLIC_RESOURCE_TRADING', ['CONSUMPTION_RESTRICTION'])).toEqual([]);
    expect(codes('HONORS_AND_AWARDS', ['MAJOR_TAX_VIOLATION', 'TAX_RATING_A'])).toEqual([]);
  });

  it('returns each measure once however many of its triggers are in the set, and leaves the catalogue as it was', () => {
    const before = catalogue.measures.map((m) => m.code);
    expect(codes('PUBLIC_RESOURCE_TRADING', ['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION'])).toEqual(['P_A', 'P_C']);
    expect(catalogue.measures.map((m) => m.code)).toEqual(before);
  });
});
