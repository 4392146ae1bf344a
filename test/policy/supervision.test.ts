/** Graded supervision: grade from the lists, sampling ratio per grade. */
import { gradeOf, GRADES, SAMPLING_RATES } from '../../subgraphs/credit/policy/supervision';

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
