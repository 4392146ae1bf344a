/** Credit repair: what can be repaired, and the minimum period before it can. */
import { eligibleFrom, minimumMonths, ONE_YEAR_AREAS, REPAIR_AREAS, REPAIR_NOTICE_WORKING_DAYS, REPAIRABLE_RECORD_KINDS, repairNoticeUntil } from '../../subgraphs/credit/policy/repair';

describe('repair periods', () => {
  it('waits 3 months after a penalty, 12 in special equipment, work safety and fire safety', () => {
    for (const kind of ['ADMINISTRATIVE_PENALTY', 'SERIOUS_PENALTY'] as const) {
      for (const area of REPAIR_AREAS) expect(minimumMonths(kind, area)).toBe(ONE_YEAR_AREAS.has(area) ? 12 : 3);
    }
    expect([...ONE_YEAR_AREAS].sort()).toEqual(['FIRE_SAFETY', 'SPECIAL_EQUIPMENT', 'WORK_SAFETY']);
  });

  it('waits a year on the serious list, three months after a breach, and nothing on the abnormal operations list', () => {
    expect(minimumMonths('SERIOUS_VIOLATION_LIST', 'OTHER')).toBe(12);
    expect(minimumMonths('COMMITMENT_BREACH', 'OTHER')).toBe(3);
    expect(minimumMonths('ABNORMAL_OPERATIONS', 'FIRE_SAFETY')).toBe(0);
    expect(REPAIRABLE_RECORD_KINDS).toContain('COMMITMENT_BREACH');
    expect(REPAIR_AREAS).toContain('PRICE');
  });

  it('counts the period on the policy calendar (end of month clamped)', () => {
    expect(eligibleFrom('ADMINISTRATIVE_PENALTY', 'OTHER', '2025-11-30')).toBe('2026-02-28');
    expect(eligibleFrom('SERIOUS_PENALTY', 'WORK_SAFETY', '2024-02-29')).toBe('2025-02-28');
    expect(eligibleFrom('ABNORMAL_OPERATIONS', 'OTHER', '2026-01-31')).toBe('2026-01-31');
  });

  it('publishes the repair notice for seven working days from the decision (柴桑 (二十))', () => {
    expect(REPAIR_NOTICE_WORKING_DAYS).toBe(7);
    // Tuesday 2026-12-01 + 7 working days = Thursday 2026-12-10 (the weekend skipped).
    expect(repairNoticeUntil('2026-12-01')).toBe('2026-12-10');
    // Decided on a Saturday: counted from the next working days.
    expect(repairNoticeUntil('2026-12-05')).toBe('2026-12-15');
  });
});
