/** Graded supervision: grade from the lists, sampling ratio per grade. */
import { gradeOf, gradeOfEntries, GRADES, inspectionDateRefusal, sampleAllocation, samplingRatioProblems, SAMPLING_RATES } from '../../subgraphs/credit/policy/supervision';

describe('graded supervision', () => {
  it('grades black over key attention over red over none', () => {
    expect(gradeOf([])).toBe('B');
    expect(gradeOf(['RED'])).toBe('A');
    expect(gradeOf(['RED', 'KEY_ATTENTION'])).toBe('C');
    expect(gradeOf(['KEY_ATTENTION', 'BLACK', 'RED'])).toBe('D');
    expect(gradeOf(['BLACK'])).toBe('D');
  });

  it('samples good credit less and bad credit more, never nobody', () => {
    expect(GRADES).toEqual(['A', 'B', 'C', 'D']);
    expect(SAMPLING_RATES).toEqual({ A: 0.02, B: 0.05, C: 0.15, D: 0.3 });
  });
});

describe('supervision by ratio (凌源 二(二), 甘州 三(四))', () => {
  const RATIOS = { A: 0.02, B: 0.05, C: 0.15, D: 0.3 };

  it('takes each grade\'s ratio of its population, rounded up, never more than there are', () => {
    // The population of 150: the weighted draw took 17 of 20 from D and none from A.
    expect(sampleAllocation({ A: 50, B: 50, C: 25, D: 25 }, RATIOS)).toEqual({ A: 1, B: 3, C: 4, D: 8 });
    expect(sampleAllocation({ A: 100, B: 20, C: 0, D: 3 }, RATIOS)).toEqual({ A: 2, B: 1, C: 0, D: 1 });
    expect(sampleAllocation({ A: 1, B: 1, C: 1, D: 1 }, { A: 1, B: 1, C: 1, D: 1 })).toEqual({ A: 1, B: 1, C: 1, D: 1 });
  });

  it('scales the shares to a given size, in proportion to population × ratio, capping a grade at its population', () => {
    expect(sampleAllocation({ A: 500, B: 490, C: 500, D: 500 }, RATIOS, 200)).toEqual({ A: 8, B: 19, C: 58, D: 115 });
    const capped = sampleAllocation({ A: 100, B: 100, C: 100, D: 5 }, RATIOS, 100);
    expect(capped.D).toBe(5);
    expect(capped.A + capped.B + capped.C + capped.D).toBe(100);
    expect(sampleAllocation({ A: 3, B: 0, C: 0, D: 2 }, RATIOS, 5)).toEqual({ A: 3, B: 0, C: 0, D: 2 });
  });

  it('does not let a disputed adverse entry lower the grade', () => {
    expect(gradeOfEntries([{ kind: 'BLACK', disputed: true }, { kind: 'RED', disputed: false }])).toBe('A');
    expect(gradeOfEntries([{ kind: 'BLACK', disputed: true }, { kind: 'KEY_ATTENTION', disputed: false }])).toBe('C');
    expect(gradeOfEntries([{ kind: 'BLACK', disputed: false }, { kind: 'BLACK', disputed: true }])).toBe('D');
    expect(gradeOfEntries([{ kind: 'RED', disputed: true }])).toBe('A');
  });

  it('accepts ratios for every grade, above 0, at most 1, never lower for a worse grade', () => {
    const all = (a: number, b: number, c: number, d: number) => [{ grade: 'A', ratio: a }, { grade: 'B', ratio: b }, { grade: 'C', ratio: c }, { grade: 'D', ratio: d }];
    expect(samplingRatioProblems(all(0.02, 0.05, 0.15, 0.3))).toEqual([]);
    expect(samplingRatioProblems(all(0.05, 0.05, 0.05, 0.05))).toEqual([]);
    expect(samplingRatioProblems(all(0, 0.05, 0.15, 0.3))).toEqual([expect.stringMatching(/grade A: a ratio is more than 0/)]);
    expect(samplingRatioProblems(all(0.02, 0.05, 0.15, 1.5))).toEqual([expect.stringMatching(/grade D/)]);
    expect(samplingRatioProblems(all(0.1, 0.05, 0.15, 0.3))).toEqual([expect.stringMatching(/grade B \(0.05\) is sampled less than the better grade A/)]);
    expect(samplingRatioProblems(all(0.02, 0.05, 0.15, 0.3).slice(1))).toEqual([expect.stringMatching(/grade A must be given once/)]);
    expect(samplingRatioProblems([...all(0.02, 0.05, 0.15, 0.3), { grade: 'E', ratio: 0.5 }])).toEqual([expect.stringMatching(/unknown grade E/)]);
  });
});

describe('inspection dates (双随机: drawn first, then inspected)', () => {
  it('refuses an inspection before the plan was drawn or in the future, and takes the day of the draw through today', () => {
    const plan = { drawnOn: '2026-12-01' };
    expect(inspectionDateRefusal(plan, '1900-01-01', '2026-12-03')).toBe('SINCE_BEFORE_RECORD');
    expect(inspectionDateRefusal(plan, '2026-11-30', '2026-12-03')).toBe('SINCE_BEFORE_RECORD');
    expect(inspectionDateRefusal(plan, '2026-12-01', '2026-12-03')).toBeNull();
    expect(inspectionDateRefusal(plan, '2026-12-03', '2026-12-03')).toBeNull();
    expect(inspectionDateRefusal(plan, '2026-12-04', '2026-12-03')).toBe('SINCE_IN_FUTURE');
  });
});
