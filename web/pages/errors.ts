/** The site's own error pages: an address with no page (404), and a filter the page cannot use (400). */
import type { InvalidFilter } from '../filters';
import { html, notice, page } from '../html';
import { t } from '../i18n';
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

/** Which filter value is wrong, and a link to the same page without its filters. */
export function invalidFilterPage(ctx: PageContext, error: InvalidFilter): string {
  const { locale } = ctx;
  const path = new URL(ctx.url, 'http://local').pathname;
  return page({
    locale,
    url: ctx.url,
    console: path.startsWith('/console'),
    title: t(locale, 'invalidFilterTitle'),
    body: html`${notice('error', t(locale, error.key, error.values))}<p><a href="${path}">${t(locale, 'backToUnfiltered')}</a></p>`,
  });
}
