/** The policy calendar: month arithmetic clamped to the month's end, years as 12 months, working days. */
import fc from 'fast-check';
import { addDays, addMonths, addWorkingDays, addYears, daysBetween, holidayCalendarCovers, isMakeUpWorkingDay, isPublicHoliday, isWorkingDay, workingDaysBetween } from '../../subgraphs/credit/policy/calendar';

/** Every day from `from` to `to`, inclusive. */
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/**
 * The State Council's notices (国务院办公厅关于2025年部分节假日安排的通知; …关于2026年部分节假日安排的通知):
 * the holidays and the weekend days worked instead, written out here from the notices and compared
 * with the data the calendar reads (the npm package holiday-calendar, data/CN/<year>.json).
 */
const NOTICES: Record<number, { holidays: string[]; makeUpWorkingDays: string[] }> = {
  2025: {
    holidays: [
      '2025-01-01', // 元旦
      ...days('2025-01-28', '2025-02-04'), // 春节
      ...days('2025-04-04', '2025-04-06'), // 清明节
      ...days('2025-05-01', '2025-05-05'), // 劳动节
      ...days('2025-05-31', '2025-06-02'), // 端午节
      ...days('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    makeUpWorkingDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: [
      ...days('2026-01-01', '2026-01-03'), // 元旦
      ...days('2026-02-15', '2026-02-23'), // 春节
      ...days('2026-04-04', '2026-04-06'), // 清明节
      ...days('2026-05-01', '2026-05-05'), // 劳动节
      ...days('2026-06-19', '2026-06-21'), // 端午节
      ...days('2026-09-25', '2026-09-27'), // 中秋节
      ...days('2026-10-01', '2026-10-07'), // 国庆节
    ],
    makeUpWorkingDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

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

  describe.each([2025, 2026])('the State Council calendar of %i', (year) => {
    const notice = NOTICES[year]!;
    it('holds exactly the notice\'s holidays and make-up working days', () => {
      const all = days(`${year}-01-01`, `${year}-12-31`);
      expect(holidayCalendarCovers(`${year}-06-01`)).toBe(true);
      expect(all.filter(isPublicHoliday)).toEqual(notice.holidays);
      expect(all.filter(isMakeUpWorkingDay)).toEqual(notice.makeUpWorkingDays);
      // Make-up days are weekend days; a working day is a weekday that is no holiday, or a make-up day.
      for (const d of notice.makeUpWorkingDays) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
      for (const d of all) {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        expect([d, isWorkingDay(d)]).toEqual([d, notice.makeUpWorkingDays.includes(d) || (weekday !== 0 && weekday !== 6 && !notice.holidays.includes(d))]);
      }
    });
  });

  it('counts working days across holidays and make-up days', () => {
    // 2025: Monday 29 September + 7 working days: 30 Sep, (1–8 Oct holidays), 9, 10, Saturday 11 Oct (worked), 13, 14, 15 Oct.
    expect(addWorkingDays('2025-09-29', 7)).toBe('2025-10-15');
    // Sunday 28 September 2025 is worked: a decision of Friday 26 September has it as its first working day.
    expect(addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    // Spring Festival 2026: Friday 13 Feb, Saturday 14 (worked), holidays 15–23, then 24, 25, 26, 27, Saturday 28 (worked).
    expect(addWorkingDays('2026-02-12', 7)).toBe('2026-02-28');
    expect(workingDaysBetween('2026-02-12', '2026-03-02')).toBe(7);
    // New Year 2026: holidays Thursday 1 to Saturday 3 January, Sunday 4 January worked.
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    // A year the calendar does not hold counts Monday to Friday.
    expect(holidayCalendarCovers('2099-01-01')).toBe(false);
    expect(isWorkingDay('2099-01-01')).toBe(true);
  });

  it('counts Monday to Friday as working days', () => {
    // Monday 2 June 2025 is the Dragon Boat holiday (端午节); the rest of that week is worked.
    expect(['2025-06-02', '2025-06-03', '2025-06-06'].map(isWorkingDay)).toEqual([false, true, true]);
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
