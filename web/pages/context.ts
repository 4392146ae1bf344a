/** What every page handler gets: the language, its own URL, and the graph as this visitor may ask it. */
import type { Locale } from '../../lib/credit-report';
import { maskResidentId, validateSubjectCode } from '../../lib/identifiers';
import type { GraphRequest, GraphResult } from '../graph';
import { errorWith } from '../graph';
import { html, notice, type Html } from '../html';
import { t } from '../i18n';
import { refusalText, refusalTexts, type Attempt } from '../refusals';

export interface PageContext {
  locale: Locale;
  url: string;
  graph: GraphRequest;
  query: Record<string, string | undefined>;
}

/** What went wrong with a request, in the visitor's language (web/refusals.ts; the graph's own message on the English site). */
export function errorNotice(locale: Locale, result: GraphResult<unknown>, attempt: Attempt = 'read'): Html | null {
  if (result.errors.length === 0) return null;
  if (result.status === 429 || errorWith(result, 'RATE_LIMITED')) return notice('error', t(locale, 'rateLimited'));
  if (result.status === 401 || errorWith(result, 'UNAUTHENTICATED')) return notice('error', t(locale, 'badKey'));
  const serious = result.errors.filter((e) => e.extensions?.code !== 'DEPARTMENT_UNAVAILABLE' && e.extensions?.code !== 'FORBIDDEN');
  if (serious.length === 0) {
    return errorWith(result, 'DEPARTMENT_UNAVAILABLE') ? notice('info', t(locale, 'unavailable')) : null;
  }
  return notice('error', html`${t(locale, 'error')}${refusalTexts(locale, serious, attempt).join('；')}`);
}

/**
 * A refused write (a filing, a decision, a publication): `lead` (未受理：, 未办理：) and why, in the
 * visitor's language; a write the caller may not make says so, never that it may not see something.
 */
export function writeRefusal(locale: Locale, lead: string, result: GraphResult<unknown>): Html | null {
  const refusal = result.errors.find((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'BAD_USER_INPUT');
  if (refusal) return notice('error', html`${lead}${refusalText(locale, refusal, 'write')}`);
  return errorNotice(locale, result, 'write') ?? (result.errors.length > 0 ? notice('error', t(locale, 'error')) : null);
}

/** A page's "first page / next page" links for a cursor-paged list. */
export function pager(locale: Locale, url: string, next: string | null, hasAfter: boolean): Html {
  const withAfter = (after: string | null) => {
    const parsed = new URL(url, 'http://local');
    if (after) parsed.searchParams.set('after', after);
    else parsed.searchParams.delete('after');
    return `${parsed.pathname}${parsed.search}`;
  };
  return html`<nav class="pager" aria-label="${t(locale, 'pagination')}">
    ${hasAfter ? html`<a href="${withAfter(null)}">${t(locale, 'firstPage')}</a>` : ''}
    ${next ? html`<a href="${withAfter(next)}" rel="next">${t(locale, 'nextPage')}</a>` : ''}
  </nav>`;
}

/**
 * A listed subject: an organisation by name, linked; a natural person by the masked identity
 * number only, never linked, so the public page carries no full resident ID (even where the
 * graph still answers one: issue 13 masks them at the source).
 */
export function listedSubject(locale: Locale, code: string, name: string | null): Html {
  const parsed = validateSubjectCode(code);
  // The graph masks persons for PUBLIC (a code with asterisks): no page to link to either.
  if (code.includes('*')) return html`<code>${code}</code>`;
  if (parsed.valid && parsed.kind === 'NATURAL_PERSON') return html`<code>${maskResidentId(code)}</code>`;
  return html`<a href="/subject/${code}">${name ?? t(locale, 'noName')}</a><br><code>${code}</code>`;
}
