/** Objections: verified within 20 days of filing. */
import { isOverdue, OBJECTION_VERIFICATION_DAYS, suspendsPunishments, verifyBy } from '../../subgraphs/credit/policy/objection';

describe('objection deadline', () => {
  it('is 20 calendar days after filing', () => {
    expect(OBJECTION_VERIFICATION_DAYS).toBe(20);
    expect(verifyBy('2026-11-24')).toBe('2026-12-14');
    expect(verifyBy('2026-02-20')).toBe('2026-03-12');
  });

  it('is overdue only while open after that day', () => {
    expect(isOverdue({ status: 'OPEN', verifyBy: '2026-12-14' }, '2026-12-14')).toBe(false);
    expect(isOverdue({ status: 'OPEN', verifyBy: '2026-12-14' }, '2026-12-15')).toBe(true);
    expect(isOverdue({ status: 'UPHELD', verifyBy: '2026-12-14' }, '2026-12-15')).toBe(false);
  });
});

describe('an objection after a rejected one suspends nothing', () => {
  it('suspends for a first objection and after an upheld one, never after a rejection', () => {
    expect(suspendsPunishments([])).toBe(true);
    expect(suspendsPunishments(['UPHELD'])).toBe(true);
    expect(suspendsPunishments(['REJECTED'])).toBe(false);
    expect(suspendsPunishments(['UPHELD', 'REJECTED'])).toBe(false);
  });
});
