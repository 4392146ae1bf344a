/**
 * A reporting period of calendar dates (China), both ends inclusive, as the
 * statistics fields take it: valid ISO dates, `from` not after `to`, and at
 * most `maxYears` long so one request cannot scan a department's whole history.
 */
import { isCalendarDate } from './clock';
import { badUserInput } from './errors';

export interface Period {
  from: string;
  to: string;
}

function requireDate(field: string, value: string): Date {
  if (!isCalendarDate(value)) {
    throw badUserInput(`'${field}' must be an ISO-8601 date (YYYY-MM-DD), got '${value}'`, { field, input: value });
  }
  return new Date(`${value}T00:00:00Z`);
}

/** Validates a period or throws BAD_USER_INPUT naming the field. */
export function requirePeriod(from: string, to: string, maxYears = 5): Period {
  const start = requireDate('from', from);
  const end = requireDate('to', to);
  if (start > end) throw badUserInput(`'from' (${from}) is after 'to' (${to})`, { field: 'from' });
  const limit = new Date(start);
  limit.setUTCFullYear(limit.getUTCFullYear() + maxYears);
  // Inclusive ends: 2020-01-01..2024-12-31 is five years, 2020-01-01..2025-01-01 is one day more.
  if (end >= limit) throw badUserInput(`a period may be at most ${maxYears} years long, got ${from} to ${to}`, { field: 'to' });
  return { from, to };
}
