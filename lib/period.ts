/**
 * A reporting period of calendar dates (China), both ends inclusive, as the
 * statistics fields take it: valid ISO dates, `from` not after `to`, and at
 * most `maxYears` long so one request cannot scan a department's whole history.
 */
import { isCalendarDate } from './clock';
import { addYears } from './calendar';
import { badUserInput } from './errors';

export interface Period {
  from: string;
  to: string;
}

function requireDate(field: string, value: string): string {
  if (!isCalendarDate(value)) {
    throw badUserInput(`'${field}' must be an ISO-8601 date (YYYY-MM-DD), got '${value}'`, { field, input: value });
  }
  return value;
}

/** Validates a period or throws BAD_USER_INPUT naming the field. */
export function requirePeriod(from: string, to: string, maxYears = 5): Period {
  requireDate('from', from);
  requireDate('to', to);
  if (from > to) throw badUserInput(`'from' (${from}) is after 'to' (${to})`, { field: 'from' });
  // Inclusive ends: 2020-01-01..2024-12-31 is five years, 2020-01-01..2025-01-01 is one day more.
  if (to >= addYears(from, maxYears)) throw badUserInput(`a period may be at most ${maxYears} years long, got ${from} to ${to}`, { field: 'to' });
  return { from, to };
}
