/** The policy calendar: month arithmetic clamped to the month's end, years as 12 months, working days. */
import fc from 'fast-check';
import { addDays, addMonths, addWorkingDays, addYears, daysBetween, isWorkingDay, workingDaysBetween } from '../../subgraphs/credit/policy/calendar';

const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('policy calendar', () => {
  it('adds months, clamping to the last day of the target month', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-05-15', 0)).toBe('2026-05-15');
    expect(addMonths('2026-12-31', 1)).toBe('2027-01-31');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
  });

  it('adds years as twelve months: Feb 29 falls to Feb 28', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2026-11-24', -3)).toBe('2023-11-24');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
    expect(daysBetween('2026-03-01', '2026-01-01')).toBe(-59);
  });

  it('refuses what is not a calendar date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('2026-13-01', 1)).toThrow(/not a calendar date/);
    expect(() => addWorkingDays('2026-06-02', -1)).toThrow(/working days/);
    expect(() => addWorkingDays('2026-06-02', 1.5)).toThrow(RangeError);
  });

  it('counts Monday to Friday as working days', () => {
    expect(['2025-06-02', '2025-06-06'].map(isWorkingDay)).toEqual([true, true]);
    expect(['2025-06-07', '2025-06-08'].map(isWorkingDay)).toEqual([false, false]);
    // Monday 2 June 2025 + 7 working days = Wednesday 11 June; Wednesday 4 June + 7 = Friday 13 June.
    expect(addWorkingDays('2025-06-02', 7)).toBe('2025-06-11');
    expect(addWorkingDays('2025-06-04', 7)).toBe('2025-06-13');
    expect(addWorkingDays('2025-06-06', 1)).toBe('2025-06-09');
    expect(addWorkingDays('2025-06-07', 0)).toBe('2025-06-07');
    expect(workingDaysBetween('2025-06-02', '2025-06-12')).toBe(7);
    expect(workingDaysBetween('2025-06-02', '2025-06-11')).toBe(6);
    expect(workingDaysBetween('2025-06-02', '2025-06-02')).toBe(0);
    expect(workingDaysBetween('2025-06-06', '2025-06-09')).toBe(0);
  });

  describe('properties', () => {
    it('a month later is never more than a month later, and never in the month after next', () => {
      fc.assert(
        fc.property(date, fc.integer({ min: -36, max: 36 }), (d, months) => {
          const later = addMonths(d, months);
          const [y, m] = d.split('-').map(Number) as [number, number];
          const index = y * 12 + (m - 1) + months;
          expect(later.slice(0, 7)).toBe(`${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`);
          expect(Number(later.slice(8))).toBeLessThanOrEqual(Number(d.slice(8)));
        }),
      );
    });

    it('keeps the day of month when the target month has it', () => {
      fc.assert(fc.property(date, fc.integer({ min: -36, max: 36 }), (d, months) => Number(d.slice(8)) > 28 || addMonths(d, months).slice(8) === d.slice(8)));
    });

    it('is monotonic: a later date never ends up earlier', () => {
      fc.assert(fc.property(date, date, fc.integer({ min: 0, max: 36 }), (a, b, months) => a > b || addMonths(a, months) <= addMonths(b, months)));
    });

    it('adding and removing days is the identity, and days between agrees', () => {
      fc.assert(
        fc.property(date, fc.integer({ min: -2000, max: 2000 }), (d, days) => {
          expect(addDays(addDays(d, days), -days)).toBe(d);
          expect(daysBetween(d, addDays(d, days))).toBe(days);
        }),
      );
    });

    it('the n-th working day after a date is a working day with n-1 working days strictly between', () => {
      fc.assert(
        fc.property(date, fc.integer({ min: 1, max: 30 }), (d, n) => {
          const deadline = addWorkingDays(d, n);
          expect(isWorkingDay(deadline)).toBe(true);
          expect(workingDaysBetween(d, deadline)).toBe(n - 1);
          expect(workingDaysBetween(d, addDays(deadline, 1))).toBe(n);
        }),
      );
    });
  });
});
