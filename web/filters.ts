/**
 * A page's filters from its query string. A value the page cannot use is refused (HTTP 400 with
 * a page saying which parameter and value, web/app.ts) rather than silently replaced, so a
 * visitor never reads "the black list" under a link that asked for something else. An absent or
 * empty parameter takes the page's default (a form's "all departments" sends an empty value).
 */
import type { MessageKey } from './i18n';

/** A filter the page cannot use: the message to show, as an i18n key and its values. */
export class InvalidFilter extends Error {
  constructor(
    readonly key: MessageKey,
    readonly values: Record<string, string | number>,
  ) {
    super(`invalid filter ${JSON.stringify(values)}`);
  }
}

type Query = Record<string, string | undefined>;

const given = (query: Query, name: string): string | null => {
  const value = query[name]?.trim();
  return value ? value : null;
};

/** One of `allowed`, or `fallback` when the parameter is absent or empty. */
export function choiceParam<T extends string>(query: Query, name: string, allowed: readonly T[], fallback: T): T;
export function choiceParam<T extends string>(query: Query, name: string, allowed: readonly T[], fallback: null): T | null;
export function choiceParam<T extends string>(query: Query, name: string, allowed: readonly T[], fallback: T | null): T | null {
  const value = given(query, name);
  if (value === null) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidFilter('invalidChoice', { name, value, allowed: allowed.join('、') });
  return value as T;
}

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whether `value` is a month written YYYY-MM. */
export const isIsoMonth = (value: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** Two bounds of one kind (dates or months) that must not be the wrong way round; each null when absent. */
function rangeParams(query: Query, names: [string, string], valid: (value: string) => boolean, key: MessageKey): [string | null, string | null] {
  const [from, to] = names.map((name) => {
    const value = given(query, name);
    if (value !== null && !valid(value)) throw new InvalidFilter(key, { name, value });
    return value;
  }) as [string | null, string | null];
  if (from !== null && to !== null && from > to) throw new InvalidFilter('invalidPeriod', { from, to });
  return [from, to];
}

/** A date range, YYYY-MM-DD each, the first not after the second. */
export const dateRangeParams = (query: Query, from = 'from', to = 'to') => rangeParams(query, [from, to], isIsoDate, 'invalidDate');

/** A month range, YYYY-MM each, the first not after the second. */
export const monthRangeParams = (query: Query, from = 'from', to = 'to') => rangeParams(query, [from, to], isIsoMonth, 'invalidMonth');

/** A positive whole number (a version), or null when absent. */
export function positiveIntParam(query: Query, name: string): number | null {
  const value = given(query, name);
  if (value === null) return null;
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new InvalidFilter('invalidNumber', { name, value });
  return Number(value);
}
