/** Three clean years need three years of existence on record and nothing adverse in the window. */
import { BAD_ENVIRONMENT_LEVELS, BAD_TAX_LEVELS, CLEAN_YEARS, cleanForThreeYears, cleanWindowStart } from '../../subgraphs/credit/policy/three-years';

const TODAY = '2026-11-24';
const clean = { establishedOn: '2020-01-01', adverseEnds: [] as (string | null)[], badRatingsAssessedOn: [] as string[] };

describe('three clean years', () => {
  it('starts the window three years back', () => {
    expect(CLEAN_YEARS).toBe(3);
    expect(cleanWindowStart(TODAY)).toBe('2023-11-24');
  });

  it('needs a registration at least three years old', () => {
    expect(cleanForThreeYears(clean, TODAY)).toBe(true);
    expect(cleanForThreeYears({ ...clean, establishedOn: null }, TODAY)).toBe(false);
    expect(cleanForThreeYears({ ...clean, establishedOn: '2023-11-24' }, TODAY)).toBe(true);
    expect(cleanForThreeYears({ ...clean, establishedOn: '2023-11-25' }, TODAY)).toBe(false);
  });

  it('fails on an adverse record in force or ended within the window', () => {
    expect(cleanForThreeYears({ ...clean, adverseEnds: [null] }, TODAY)).toBe(false);
    expect(cleanForThreeYears({ ...clean, adverseEnds: ['2023-11-25'] }, TODAY)).toBe(false);
    expect(cleanForThreeYears({ ...clean, adverseEnds: ['2023-11-24', '2020-01-01'] }, TODAY)).toBe(true);
  });

  it('fails on a bad rating assessed within the window', () => {
    expect(cleanForThreeYears({ ...clean, badRatingsAssessedOn: ['2023-11-25'] }, TODAY)).toBe(false);
    expect(cleanForThreeYears({ ...clean, badRatingsAssessedOn: ['2023-11-24'] }, TODAY)).toBe(true);
    expect([...BAD_TAX_LEVELS].sort()).toEqual(['C', 'D']);
    expect([...BAD_ENVIRONMENT_LEVELS].sort()).toEqual(['BLACK', 'RED', 'YELLOW']);
  });
});
