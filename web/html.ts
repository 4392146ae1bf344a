/**
 * Server-rendered HTML: a tagged template that escapes every interpolated value unless it is
 * already HTML, and the page layout (zh-CN first, an English switch, skip link, landmarks).
 */
import type { Locale } from '../lib/credit-report';
import { t, type MessageKey } from './i18n';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * Escaped, and without the bidirectional controls (U+202A–202E, U+2066–2069): the site writes
 * none itself, and one typed into an objection's reason would reverse the text after it on a
 * clerk's page.
 */
export const escapeHtml = (value: string) => value.replace(/[\u202a-\u202e\u2066-\u2069]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i] as Value) : ''), ''));
}

/** A URL with query parameters, dropping empty ones. */
export function href(path: string, params: Record<string, string | null | undefined> = {}): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return query ? `${path}?${query}` : path;
}

export interface PageOptions {
  locale: Locale;
  title: string;
  /** Path and query of this page, for the language switch. */
  url: string;
  body: Html;
  /** The console's navigation instead of the public one. */
  console?: boolean;
}

const PUBLIC_NAV: [string, MessageKey][] = [
  ['/', 'navSearch'],
  ['/lists', 'navLists'],
  ['/publicity', 'navPublicity'],
  ['/verify', 'navVerify'],
  ['/self-service', 'navSelfService'],
  ['/conduct-reports', 'navConductReports'],
  ['/console', 'navConsole'],
];
const CONSOLE_NAV: [string, MessageKey][] = [
  ['/console', 'navDashboard'],
  ['/console/check', 'navCheck'],
  ['/console/lists', 'navPublish'],
  ['/console/catalogue', 'navCatalogue'],
  ['/console/desk', 'navDesk'],
  ['/console/lookup', 'navLookup'],
  ['/', 'navPublicSite'],
];

function switchLanguage(url: string, locale: Locale): string {
  const parsed = new URL(url, 'http://local');
  parsed.searchParams.set('lang', locale === 'zh' ? 'en' : 'zh');
  return `${parsed.pathname}${parsed.search}`;
}

export function page(options: PageOptions): string {
  const { locale } = options;
  const nav = options.console ? CONSOLE_NAV : PUBLIC_NAV;
  const current = new URL(options.url, 'http://local').pathname;
  return `<!doctype html>${html`<html lang="${locale === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${t(locale, 'siteName')}</title>
<link rel="stylesheet" href="/assets/site.css">
<script src="/assets/site.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t(locale, 'skip')}</a>
<header class="site">
  <div class="brand"><a href="${options.console ? '/console' : '/'}">${options.console ? t(locale, 'consoleName') : t(locale, 'siteName')}</a></div>
  <nav aria-label="${t(locale, 'navLabel')}"><ul>
    ${nav.map(([path, key]) => html`<li><a href="${path}"${path === current ? new Html(' aria-current="page"') : ''}>${t(locale, key)}</a></li>`)}
  </ul></nav>
  <a class="lang" href="${switchLanguage(options.url, locale)}" lang="${locale === 'zh' ? 'en' : 'zh-CN'}">${locale === 'zh' ? 'English' : '中文'}</a>
</header>
<main id="main">
<h1>${options.title}</h1>
${options.body}
</main>
<footer class="site"><p>${t(locale, 'footer')}</p></footer>
</body>
</html>`.text}`;
}

/** A message box for errors and notices, announced to screen readers. */
export function notice(kind: 'error' | 'ok' | 'info', text: Html | string): Html {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}
