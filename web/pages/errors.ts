/** The site's own error pages: an address with no page (404), a filter the page cannot use (400), and any other failed request. */
import { departmentName, valueName, type Locale } from '../../lib/credit-report';
import type { InvalidFilter } from '../filters';
import { html, notice, page } from '../html';
import { t, type MessageKey } from '../i18n';
import type { PageContext } from './context';

export function notFoundPage(ctx: PageContext): string {
  const { locale } = ctx;
  return page({
    locale,
    url: ctx.url,
    title: t(locale, 'notFoundTitle'),
    body: html`${notice('error', t(locale, 'notFoundText'))}<p><a href="/">${t(locale, 'backHome')}</a></p>`,
  });
}

/** What a failed request's status means to the visitor. */
const STATUS_TEXTS: Record<number, MessageKey> = { 413: 'tooLargeText', 415: 'mediaTypeText', 431: 'addressTooLongText' };

/** A request that failed before or inside its page (a post too big, a form of no known kind, a fault): the site's page, with its status. */
export function errorPage(ctx: Pick<PageContext, 'locale' | 'url'>, status: number): string {
  const { locale } = ctx;
  const key = STATUS_TEXTS[status] ?? (status >= 500 ? 'serverErrorText' : 'badRequestText');
  return page({
    locale,
    url: ctx.url,
    console: new URL(ctx.url, 'http://local').pathname.startsWith('/console'),
    title: t(locale, 'errorTitle'),
    body: html`${notice('error', t(locale, key))}<p><a href="/">${t(locale, 'backHome')}</a></p>`,
  });
}

/** The query parameters in words, as the filter forms label them. */
const FILTER_NAMES: Record<string, { zh: string; en: string }> = {
  kind: { zh: '类别', en: 'kind' },
  department: { zh: '部门', en: 'department' },
  from: { zh: '起始日期', en: 'from' },
  to: { zh: '截止日期', en: 'to' },
  version: { zh: '版本', en: 'version' },
};

/** A refused filter's parameter and choices as the visitor reads them (名单类别, 黑名单), not as the URL spells them (kind, BLACK). */
function filterWords(locale: Locale, error: InvalidFilter): Record<string, string | number> {
  const values = { ...error.values };
  const name = String(values.name ?? '');
  if (FILTER_NAMES[name]) values.name = FILTER_NAMES[name]![locale];
  if (typeof values.allowed === 'string') {
    const named = (choice: string) => (name === 'department' ? departmentName(choice, locale) : valueName(choice, locale));
    values.allowed = values.allowed.split('、').map(named).join(locale === 'zh' ? '、' : ', ');
  }
  return values;
}

/** Which filter value is wrong, and a link to the same page without its filters. */
export function invalidFilterPage(ctx: PageContext, error: InvalidFilter): string {
  const { locale } = ctx;
  const path = new URL(ctx.url, 'http://local').pathname;
  return page({
    locale,
    url: ctx.url,
    console: path.startsWith('/console'),
    title: t(locale, 'invalidFilterTitle'),
    body: html`${notice('error', t(locale, error.key, filterWords(locale, error)))}<p><a href="${path}">${t(locale, 'backToUnfiltered')}</a></p>`,
  });
}
