/**
 * The policy calendar: month arithmetic clamped to the month's end, years as
 * twelve months, days and working days — Monday to Friday less the State
 * Council's public holidays, plus its make-up working days (调休), from the
 * maintained npm package holiday-calendar (lib/calendar.ts). Defined once in lib/calendar.ts (the
 * departments count periods with it too); every period of the policy is
 * counted with these functions.
 *
 * Source: DESIGN.md «The credit platform's rules» (every period: repair
 * minimums in months, the 20-day objection deadline, three-year windows and
 * publication periods, 7 working days of double publicity, 甘州 二(三)).
 */
export {
  addDays,
  addMonths,
  addWorkingDays,
  addYears,
  daysBetween,
  holidayCalendarCovers,
  isMakeUpWorkingDay,
  isPublicHoliday,
  isWorkingDay,
  workingDaysBetween,
} from '../../../lib/calendar';
