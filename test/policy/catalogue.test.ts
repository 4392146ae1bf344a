/** What a new catalogue version may change (policy/catalogue.ts): add and strengthen, never punish less. */
import { catalogueWeakenings, weakeningFloor, type CatalogueMeasure } from '../../subgraphs/credit/policy';

const measure = (overrides: Partial<CatalogueMeasure> & Pick<CatalogueMeasure, 'code'>): CatalogueMeasure => ({
  kind: 'PUNISHMENT',
  mandatory: false,
  effect: 'PROHIBIT',
  personLevel: false,
  triggers: ['DISHONEST_JUDGMENT_DEBTOR'],
  scenarios: ['PUBLIC_RESOURCE_TRADING'],
  ...overrides,
});

const IN_FORCE: CatalogueMeasure[] = [
  measure({ code: 'P_BARRED', mandatory: true, triggers: ['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION'] }),
  measure({ code: 'P_REVIEW', effect: 'RESTRICT', triggers: ['TAX_ARREARS'], scenarios: ['FISCAL_SUPPORT', 'PUBLIC_RESOURCE_TRADING'] }),
  measure({ code: 'P_PERSON', effect: 'RESTRICT', personLevel: true, triggers: ['DISHONEST_JUDGMENT_DEBTOR'] }),
  measure({ code: 'I_GREEN', kind: 'INCENTIVE', effect: 'FACILITATE', triggers: ['TAX_RATING_A'], scenarios: ['ADMINISTRATIVE_LICENSING'] }),
];

describe('catalogueWeakenings', () => {
  it('lets the same catalogue, a stronger one and one with more measures through, and incentives change freely', () => {
    expect(catalogueWeakenings(IN_FORCE, IN_FORCE)).toEqual([]);
    const stronger = IN_FORCE.map((m) => (m.code === 'P_REVIEW' ? { ...m, effect: 'PROHIBIT' as const, scenarios: [...m.scenarios, 'HONORS_AND_AWARDS' as const] } : m));
    expect(catalogueWeakenings(IN_FORCE, [...stronger, measure({ code: 'P_NEW', triggers: ['SERIOUS_PENALTY'] })])).toEqual([]);
    expect(catalogueWeakenings(IN_FORCE, IN_FORCE.filter((m) => m.code !== 'I_GREEN'))).toEqual([]);
    // A recommended measure may go when another punishes the same records as harshly.
    const replaced = [...IN_FORCE.filter((m) => m.code !== 'P_REVIEW'), measure({ code: 'P_REVIEW_2', effect: 'RESTRICT', triggers: ['TAX_ARREARS'], scenarios: ['FISCAL_SUPPORT', 'PUBLIC_RESOURCE_TRADING'] })];
    expect(catalogueWeakenings(IN_FORCE, replaced)).toEqual([]);
    expect(catalogueWeakenings([], IN_FORCE)).toEqual([]);
    // A mandatory measure in several scenarios, kept in all of them.
    const wide = [measure({ code: 'P_WIDE', mandatory: true, scenarios: ['PUBLIC_RESOURCE_TRADING', 'FISCAL_SUPPORT'] })];
    expect(catalogueWeakenings(wide, wide)).toEqual([]);
    expect(catalogueWeakenings(wide, [{ ...wide[0]!, scenarios: ['FISCAL_SUPPORT'] }])).toContainEqual(
      'mandatory measure P_WIDE is weakened: it stays mandatory, PROHIBIT or harsher, for at least DISHONEST_JUDGMENT_DEBTOR in PUBLIC_RESOURCE_TRADING, FISCAL_SUPPORT',
    );
  });

  it('refuses a mandatory measure dropped, made optional, softened, or narrowed', () => {
    const without = IN_FORCE.filter((m) => m.code !== 'P_BARRED');
    expect(catalogueWeakenings(IN_FORCE, without)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^mandatory measure P_BARRED is missing/), 'MAJOR_TAX_VIOLATION in PUBLIC_RESOURCE_TRADING (subject) would be punished not at all; the version in force has PROHIBIT']),
    );
    for (const change of [{ mandatory: false }, { effect: 'RESTRICT' as const }, { triggers: ['DISHONEST_JUDGMENT_DEBTOR' as const] }, { scenarios: ['FISCAL_SUPPORT' as const] }, { kind: 'INCENTIVE' as const }]) {
      const changed = IN_FORCE.map((m) => (m.code === 'P_BARRED' ? { ...m, ...change } : m));
      expect(catalogueWeakenings(IN_FORCE, changed)).toContainEqual(
        'mandatory measure P_BARRED is weakened: it stays mandatory, PROHIBIT or harsher, for at least DISHONEST_JUDGMENT_DEBTOR, MAJOR_TAX_VIOLATION in PUBLIC_RESOURCE_TRADING',
      );
    }
  });

  it('refuses a record punished less in a scenario, for the subject and for the persons responsible separately', () => {
    const softer = IN_FORCE.map((m) => (m.code === 'P_REVIEW' ? { ...m, scenarios: ['FISCAL_SUPPORT' as const] } : m));
    expect(catalogueWeakenings(IN_FORCE, softer)).toEqual(['TAX_ARREARS in PUBLIC_RESOURCE_TRADING (subject) would be punished not at all; the version in force has RESTRICT']);
    // A person-level measure does not stand in for the subject's, nor the other way round.
    const noPerson = IN_FORCE.filter((m) => m.code !== 'P_PERSON');
    expect(catalogueWeakenings(IN_FORCE, noPerson)).toEqual(['DISHONEST_JUDGMENT_DEBTOR in PUBLIC_RESOURCE_TRADING (person-level) would be punished not at all; the version in force has RESTRICT']);
    const barredSoftly = [...IN_FORCE, measure({ code: 'P_X', effect: 'PROHIBIT', triggers: ['TAX_ARREARS'], scenarios: ['FISCAL_SUPPORT'] })];
    const lessened = barredSoftly.map((m) => (m.code === 'P_X' ? { ...m, effect: 'RESTRICT' as const } : m));
    expect(catalogueWeakenings(barredSoftly, lessened)).toEqual(['TAX_ARREARS in FISCAL_SUPPORT (subject) would be punished with RESTRICT only; the version in force has PROHIBIT']);
  });
});

describe('weakeningFloor', () => {
  it('is the version in force, or for a correction of it the one before; nothing else can be corrected', () => {
    expect(weakeningFloor(null, null)).toBeNull();
    expect(weakeningFloor(5, null)).toBe(5);
    expect(weakeningFloor(5, 5)).toBe(4);
    expect(weakeningFloor(2, 2)).toBe(1);
    for (const [latest, corrects] of [[5, 4], [5, 6], [1, 1], [null, 1]] as const) expect(weakeningFloor(latest, corrects)).toBeUndefined();
  });
});
