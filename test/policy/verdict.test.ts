/** How measures make a verdict. */
import { incentivesGranted, severityOf, verdictOf, VERDICT_RANK, type VerdictMeasure } from '../../subgraphs/credit/policy/verdict';

const m = (overrides: Partial<VerdictMeasure>): VerdictMeasure => ({ kind: 'PUNISHMENT', effect: 'RESTRICT', suspended: false, onLegalRepresentative: false, ...overrides });

describe('verdict rules', () => {
  it('takes the worst punishment in force', () => {
    expect(verdictOf([])).toBe('CLEAR');
    expect(verdictOf([m({ effect: 'RESTRICT' })])).toBe('RESTRICTED');
    expect(verdictOf([m({ effect: 'RESTRICT' }), m({ effect: 'PROHIBIT' })])).toBe('PROHIBITED');
    expect(verdictOf([m({ kind: 'INCENTIVE', effect: 'FACILITATE' })])).toBe('INCENTIVE');
    expect(verdictOf([m({ kind: 'INCENTIVE', effect: 'FACILITATE' }), m({ effect: 'RESTRICT' })])).toBe('RESTRICTED');
  });

  it('ignores suspended measures', () => {
    expect(verdictOf([m({ effect: 'PROHIBIT', suspended: true })])).toBe('CLEAR');
    expect(verdictOf([m({ kind: 'INCENTIVE', effect: 'FACILITATE', suspended: true })])).toBe('CLEAR');
  });

  it('lets a bar on the legal representative restrict the organisation at most', () => {
    expect(severityOf(m({ effect: 'PROHIBIT', onLegalRepresentative: true }))).toBe(1);
    expect(severityOf(m({ effect: 'PROHIBIT' }))).toBe(2);
    expect(verdictOf([m({ effect: 'PROHIBIT', onLegalRepresentative: true })])).toBe('RESTRICTED');
  });

  it('grants incentives on an INCENTIVE verdict only: never on an INCONCLUSIVE one', () => {
    expect((['CLEAR', 'INCENTIVE', 'RESTRICTED', 'PROHIBITED', 'INCONCLUSIVE'] as const).filter(incentivesGranted)).toEqual(['INCENTIVE']);
  });

  it('ranks verdicts from best to worst for the subject', () => {
    const order = Object.entries(VERDICT_RANK).sort((a, b) => a[1] - b[1]).map(([v]) => v);
    expect(order).toEqual(['INCENTIVE', 'CLEAR', 'INCONCLUSIVE', 'RESTRICTED', 'PROHIBITED']);
  });
});
