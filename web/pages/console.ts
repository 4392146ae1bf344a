/**
 * The credit office's console: a clerk logs in with the API key of the credit office or a
 * department (or a trading platform, for the bidder check) and works through the same API
 * and authorisation as any client; what the key's role may not read shows as such.
 */
import { beijingTime, departmentName, valueName, type Locale } from '../../lib/credit-report';
import { dayInChina, todayInChina } from '../../lib/clock';
import { barChart } from '../charts';
import type { Credential, GraphRequest, GraphResult } from '../graph';
import { html, notice, page, type Html } from '../html';
import { t, word, type MessageKey } from '../i18n';
import { errorNotice, pager, writeRefusal, type PageContext } from './context';
import { InvalidFilter, monthRangeParams, positiveIntParam } from '../filters';
import { refusalText, statusName } from '../refusals';

export interface ConsoleContext extends PageContext {
  credential: Credential;
}

export const consolePage = (ctx: PageContext, title: string, body: Html) => page({ locale: ctx.locale, url: ctx.url, title, body, console: true });

const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'];

/** Why a login did not happen: the page's message and its HTTP status. */
export interface LoginRefusal {
  status: number;
  text: (locale: Locale) => string;
}

const refusedWith = (status: number, key: MessageKey): LoginRefusal => ({ status, text: (locale) => t(locale, key) });
export const BAD_KEY = refusedWith(401, 'badKey');
/** No purpose: the gateway refuses an empty X-Purpose (PURPOSE_REQUIRED), and a made-up one would misstate the audit log. */
const NO_PURPOSE = refusedWith(400, 'purposeRequiredLogin');

/** The gateway's cap on a purpose (gateway/plugins/purpose.ts): the form says it too. */
const MAX_PURPOSE_LENGTH = 500;

/**
 * Whether a credential works: the gateway refuses a bad one with 401 whatever is asked, and
 * answers a good one; a purpose it cannot record (too long, a control character) is 400 with
 * the reason; too many failed attempts from this address are 429, and an unreachable gateway or
 * credential service proves nothing, so neither is a login.
 */
export async function loginOutcome(graph: GraphRequest, credential: Credential): Promise<'ok' | LoginRefusal> {
  if (!credential.purpose.trim()) return NO_PURPOSE;
  const result = await graph('{ __typename }', {}, credential);
  if (result.status === 200 && result.errors.length === 0) return 'ok';
  if (result.status === 429) return refusedWith(429, 'rateLimited');
  if (result.status === 401) return BAD_KEY;
  const refused = result.errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
  if (result.status === 400 && refused) return { status: 400, text: (locale) => `${t(locale, 'badPurposeLogin')}${refusalText(locale, refused)}` };
  return refusedWith(503, 'loginUnavailable');
}

/** The login page, with why the last attempt did not log in (and the purpose typed, to correct). */
export function loginPage(ctx: PageContext, refusal: LoginRefusal | null, purpose = ''): string {
  const { locale } = ctx;
  return page({
    locale,
    url: ctx.url,
    title: t(locale, 'consoleLogin'),
    body: html`${refusal ? notice('error', refusal.text(locale)) : ''}
      <form class="stack" method="post" action="/console/login">
        <div class="field"><label for="apiKey">${t(locale, 'apiKey')}</label><input id="apiKey" name="apiKey" type="password" required autocomplete="off"></div>
        <div class="field"><label for="purpose">${t(locale, 'purpose')}</label><input id="purpose" name="purpose" required maxlength="${MAX_PURPOSE_LENGTH}" value="${purpose}"></div>
        <button type="submit">${t(locale, 'login')}</button>
      </form>`,
  });
}

const logoutForm = (locale: Locale) => html`<form class="logout" method="post" action="/console/logout"><button type="submit">${t(locale, 'logout')}</button></form>`;

/** The part of an answer the caller may not read shows as such (and why); other errors as errors. */
export function sectionError(locale: Locale, result: GraphResult<unknown>): Html | null {
  const forbidden = result.errors.find((e) => e.extensions?.code === 'FORBIDDEN');
  if (forbidden) return notice('info', refusalText(locale, forbidden));
  return errorNotice(locale, result);
}

interface ObjectionRow { id: string; subjectCode: string; department: string; recordId: string; reason: string; filedAt: string; verifyBy: string; overdue: boolean }

function objectionTable(locale: Locale, rows: ObjectionRow[], caption: string): Html {
  if (rows.length === 0) return html`<p class="empty">${t(locale, 'noObjections')}</p>`;
  return html`<table class="results"><caption class="visually-hidden">${caption}</caption><thead><tr>
    <th scope="col">${t(locale, 'objectionId')}</th><th scope="col">${t(locale, 'subject')}</th><th scope="col">${t(locale, 'department')}</th>
    <th scope="col">${t(locale, 'record')}</th><th scope="col">${t(locale, 'filedAt')}</th><th scope="col">${t(locale, 'verifyBy')}</th><th scope="col">${t(locale, 'decideLink')}</th></tr></thead>
    <tbody>${rows.map((o) => html`<tr${o.overdue ? html` class="overdue"` : ''} data-objection="${o.id}"><td><a href="/console/lookup?objection=${o.id}">${o.id}</a></td><td><a href="/subject/${o.subjectCode}"><code>${o.subjectCode}</code></a></td>
      <td>${departmentName(o.department, locale)}</td><td>${o.recordId}<br><span class="hint">${o.reason}</span></td><td>${dayInChina(o.filedAt)}</td>
      <td>${o.verifyBy}${o.overdue ? html` <strong class="flag">${t(locale, 'overdue')}</strong>` : ''}</td>
      <td><a href="/console/desk?objection=${o.id}#verify-title">${t(locale, 'decideLink')}</a></td></tr>`)}</tbody></table>`;
}

export interface Month {
  label: string;
  from: string;
  to: string;
}

/** The month (YYYY-MM) `offset` months after `month`. */
function addMonths(month: string, offset: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number - 1 + offset, 1)).toISOString().slice(0, 7);
}

/** The months from `first` to `last` (YYYY-MM), oldest first, as China date ranges; the current month up to today. */
export function monthsBetween(first: string, last: string, today: string): Month[] {
  const months: Month[] = [];
  for (let label = first; label <= last; label = addMonths(label, 1)) {
    const end = new Date(Date.UTC(Number(label.slice(0, 4)), Number(label.slice(5, 7)), 0)).toISOString().slice(0, 10);
    months.push({ label, from: `${label}-01`, to: end > today ? today : end });
  }
  return months;
}

/** The last six months of China dates, oldest first, the current month up to today. */
export function lastMonths(today: string, count = 6): Month[] {
  return monthsBetween(addMonths(today.slice(0, 7), 1 - count), today.slice(0, 7), today);
}

/** Longest period the dashboard charts, in months (two aliased statistics per month, within the gateway's alias limit). */
export const MAX_DASHBOARD_MONTHS = 12;

/**
 * The dashboard's period from its `from` and `to` months (YYYY-MM): by default the six months to
 * this one; `to` alone ends them there, `from` alone starts six months from it (at most to now).
 */
export function dashboardMonths(query: Record<string, string | undefined>, today: string): Month[] {
  const current = today.slice(0, 7);
  const [from, to] = monthRangeParams(query);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value !== null && value > current) throw new InvalidFilter('monthInFuture', { name, value });
  }
  const last = to ?? (from ? [addMonths(from, 5), current].sort()[0]! : current);
  const first = from ?? addMonths(last, -5);
  const count = monthsBetween(first, last, today).length;
  if (count > MAX_DASHBOARD_MONTHS) throw new InvalidFilter('periodTooLong', { n: MAX_DASHBOARD_MONTHS, months: count });
  return monthsBetween(first, last, today);
}

function periodForm(locale: Locale, months: Month[]): Html {
  return html`<form class="filters" method="get" action="/console">
    <div class="field"><label for="period-from">${t(locale, 'periodFrom')}</label><input id="period-from" name="from" type="month" value="${months[0]!.label}" placeholder="2026-01"></div>
    <div class="field"><label for="period-to">${t(locale, 'periodTo')}</label><input id="period-to" name="to" type="month" value="${months[months.length - 1]!.label}" placeholder="2026-06"></div>
    <button type="submit">${t(locale, 'showPeriod')}</button>
  </form>`;
}

interface RepairRow { id: string; subjectCode: string; department: string; recordId: string; recordKind: string; appliedAt: string; eligibleFrom: string }

/** Whether an answer is nothing but "this credential may not read it": its section is left off the dashboard. */
const onlyForbidden = (result: GraphResult<unknown>) => result.errors.length > 0 && result.errors.every((e) => e.extensions?.code === 'FORBIDDEN');

/** A dashboard section, or null when the credential may not read it. */
type Section = Html | null;

/** The repair applications waiting for a decision (the caller's department's, or all for the credit office), each with a link to decide it. */
async function pendingRepairs(ctx: ConsoleContext): Promise<Section> {
  const { locale } = ctx;
  const result = await ctx.graph<{ repairApplications: { nodes: RepairRow[]; endCursor: string | null; hasNextPage: boolean } }>(
    `query PendingRepairs($after: String) { repairApplications(status: PENDING, first: 50, after: $after) {
      nodes { id subjectCode department recordId recordKind appliedAt eligibleFrom } endCursor hasNextPage } }`,
    { after: ctx.query.after ?? null },
    ctx.credential,
  );
  const page = result.data?.repairApplications;
  if (!page) return onlyForbidden(result) ? null : (sectionError(locale, result) ?? html``);
  if (page.nodes.length === 0) return html`<p class="empty">${t(locale, 'noRepairs')}</p>`;
  return html`<table class="results repairs"><caption class="visually-hidden">${t(locale, 'repairsSection')}</caption><thead><tr>
    <th scope="col">${t(locale, 'repairId')}</th><th scope="col">${t(locale, 'subject')}</th><th scope="col">${t(locale, 'department')}</th>
    <th scope="col">${t(locale, 'fieldRecordId')}</th><th scope="col">${t(locale, 'fieldAppliedAt')}</th><th scope="col">${t(locale, 'fieldEligibleFrom')}</th><th scope="col">${t(locale, 'decideRepair')}</th></tr></thead>
    <tbody>${page.nodes.map((r) => html`<tr data-repair="${r.id}"><td><a href="/console/lookup?repair=${r.id}">${r.id}</a></td>
      <td><a href="/subject/${r.subjectCode}"><code>${r.subjectCode}</code></a></td><td>${departmentName(r.department, locale)}</td>
      <td>${valueName(r.recordKind, locale)}<br><span class="hint">${r.recordId}</span></td><td>${dayInChina(r.appliedAt)}</td><td>${r.eligibleFrom}</td>
      <td><a href="/console/desk?repair=${r.id}#repair-title">${t(locale, 'decideLink')}</a></td></tr>`)}</tbody></table>
    ${pager(locale, ctx.url, page.hasNextPage ? page.endCursor : null, !!ctx.query.after)}`;
}

interface NoticeRow { department: string; measuresReceived: number; measuresDue: number; measuresOnTime: number; measuresLate: number; onTimeRate: number | null }
export interface Notice { month: string; threshold: number; departments: NoticeRow[] }

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** The month's notice (通报) of the implementing departments below the on-time threshold (implementationNotice). */
export function noticeTable(locale: Locale, notice: Notice): Html {
  // The values go through t(): it fills every placeholder itself (with '' when none is given), so a later replace found none.
  const intro = html`<p>${t(locale, 'noticeIntro', { month: notice.month, threshold: percent(notice.threshold) })}</p>`;
  if (notice.departments.length === 0) return html`${intro}<p class="empty">${t(locale, 'noticeNone')}</p>`;
  return html`${intro}<table class="results"><caption class="visually-hidden">${t(locale, 'noticeSection')}</caption><thead><tr>
    <th scope="col">${t(locale, 'department')}</th><th scope="col">${t(locale, 'measuresReceived')}</th><th scope="col">${t(locale, 'measuresDue')}</th>
    <th scope="col">${t(locale, 'measuresOnTime')}</th><th scope="col">${t(locale, 'measuresLate')}</th><th scope="col">${t(locale, 'onTimeRate')}</th></tr></thead>
    <tbody>${notice.departments.map((d) => html`<tr class="overdue"><td>${departmentName(d.department, locale)}</td><td>${String(d.measuresReceived)}</td><td>${String(d.measuresDue)}</td>
      <td>${String(d.measuresOnTime)}</td><td>${String(d.measuresLate)}</td><td><strong class="flag">${d.onTimeRate === null ? '—' : percent(d.onTimeRate)}</strong></td></tr>`)}</tbody></table>`;
}

interface MonthFigures { checksTotal: number; hits: number; byDepartment: { department: string; measuresApplied: number; measuresFedBack: number }[] }
interface Timeliness { penalties: { publishedLate: number }; licences: { publishedLate: number } | null }
interface DepartmentFigures { department: string; measuresApplied: number; measuresFedBack: number; objectionsOverdue: number }

export async function dashboardPage(ctx: ConsoleContext): Promise<string> {
  const { locale, credential } = ctx;
  const months = dashboardMonths(ctx.query, todayInChina());
  const objectionFields = 'nodes { id subjectCode department recordId reason filedAt verifyBy overdue }';
  const statistics = `query Statistics {
    total: creditStatistics(from: "${months[0]!.from}", to: "${months[months.length - 1]!.to}") { byDepartment { department measuresApplied measuresFedBack objectionsOverdue } }
    ${months.map((m, i) => `m${i}: creditStatistics(from: "${m.from}", to: "${m.to}") { checksTotal hits byDepartment { department measuresApplied measuresFedBack } }`).join('\n')}
    ${months.map((m, i) => `p${i}: marketPublicationTimeliness(from: "${m.from}", to: "${m.to}") { penalties { publishedLate } licences { publishedLate } }`).join('\n')}
  }`;
  // Separate requests: a role that may not read one part still gets the others.
  const [objections, figures, feedbackNotice, repairsHtml] = await Promise.all([
    ctx.graph<{ overdue: { nodes: ObjectionRow[] }; open: { nodes: ObjectionRow[] } }>(
      `query Objections { overdue: objections(status: OPEN, overdue: true, first: 50) { ${objectionFields} } open: objections(status: OPEN, first: 50) { ${objectionFields} } }`,
      {},
      credential,
    ),
    ctx.graph<Record<string, unknown>>(statistics, {}, credential),
    ctx.graph<{ implementationNotice: Notice }>(
      'query Notice($month: String!) { implementationNotice(month: $month) { month threshold departments { department measuresReceived measuresDue measuresOnTime measuresLate onTimeRate } } }',
      { month: months[months.length - 1]!.label },
      credential,
    ),
    pendingRepairs(ctx),
  ]);
  const noticeHtml: Section = feedbackNotice.data?.implementationNotice ? noticeTable(locale, feedbackNotice.data.implementationNotice) : onlyForbidden(feedbackNotice) ? null : sectionError(locale, feedbackNotice);
  const objectionsHtml: Section = objections.data?.overdue && objections.data.open
    ? html`<h3>${t(locale, 'objectionsOverdue')}</h3>${objectionTable(locale, objections.data.overdue.nodes, t(locale, 'objectionsOverdue'))}
        <h3>${t(locale, 'objectionsOpen')}</h3>${objectionTable(locale, objections.data.open.nodes, t(locale, 'objectionsOpen'))}`
    : onlyForbidden(objections) ? null : sectionError(locale, objections);
  let charts: Html | null = sectionError(locale, figures);
  if (figures.data?.total) {
    const data = figures.data;
    const labels = months.map((m) => m.label);
    const month = (i: number) => data[`m${i}`] as MonthFigures;
    const timeliness = (i: number) => data[`p${i}`] as Timeliness | null;
    const departments = (data.total as { byDepartment: DepartmentFigures[] }).byDepartment;
    charts = html`${charts ?? ''}<div class="charts">
      ${barChart({ id: 'chart-checks', title: t(locale, 'checksByMonth'), categoryLabel: t(locale, 'month'), categories: labels, series: [
        { name: t(locale, 'checks'), values: months.map((_, i) => month(i).checksTotal) },
        { name: t(locale, 'hits'), values: months.map((_, i) => month(i).hits) },
      ] })}
      ${barChart({ id: 'chart-measures', title: t(locale, 'measuresByDepartment'), categoryLabel: t(locale, 'department'), categories: departments.map((d) => departmentName(d.department, locale)), series: [
        { name: t(locale, 'applied'), values: departments.map((d) => d.measuresApplied) },
        { name: t(locale, 'fedBack'), values: departments.map((d) => d.measuresFedBack) },
      ] })}
      ${barChart({ id: 'chart-measures-monthly', title: t(locale, 'measuresByDepartmentAndMonth'), categoryLabel: t(locale, 'month'), categories: labels,
        series: departments.map((d) => ({
          name: departmentName(d.department, locale),
          values: months.map((_, i) => {
            const figures = month(i).byDepartment.find((row) => row.department === d.department);
            return figures?.measuresApplied ?? 0;
          }),
        })),
      })}
      ${barChart({ id: 'chart-late', title: t(locale, 'latePublications'), categoryLabel: t(locale, 'month'), categories: labels, series: [
        { name: `${t(locale, 'PENALTY')}·${t(locale, 'late')}`, values: months.map((_, i) => timeliness(i)?.penalties.publishedLate ?? 0) },
        { name: `${t(locale, 'LICENCE')}·${t(locale, 'late')}`, values: months.map((_, i) => timeliness(i)?.licences?.publishedLate ?? 0) },
      ] })}
      ${barChart({ id: 'chart-overdue', title: t(locale, 'overdueVerifications'), categoryLabel: t(locale, 'department'), categories: departments.map((d) => departmentName(d.department, locale)), series: [
        { name: t(locale, 'overdue'), values: departments.map((d) => d.objectionsOverdue) },
      ] })}
    </div>`;
  }
  const statisticsHtml: Section = !figures.data?.total && onlyForbidden(figures) ? null : html`${periodForm(locale, months)}${charts}`;
  const sections: [string, string, Section][] = [
    ['objections', t(locale, 'objectionsSection'), objectionsHtml],
    ['repairs', t(locale, 'repairsSection'), repairsHtml],
    ['notice', t(locale, 'noticeSection'), noticeHtml],
    ['statistics', t(locale, 'statistics', { from: months[0]!.label, to: months[months.length - 1]!.label }), statisticsHtml],
  ];
  // Only what the credential may use: a trading platform sees its bidder check, not four refusals.
  const shown = sections.filter(([, , body]) => body !== null);
  return consolePage(ctx, t(locale, 'dashboardTitle'), html`${logoutForm(locale)}
    ${shown.length === 0 ? notice('info', html`${t(locale, 'dashboardNothing')} <a href="/console/check">${t(locale, 'navCheck')}</a>`) : ''}
    ${shown.map(([id, title, body]) => html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${body}</section>`)}`);
}

// --- List publication ---

export async function publishListEntry(ctx: ConsoleContext, form: Record<string, string>, end: boolean): Promise<Html> {
  const { locale } = ctx;
  const input = end
    ? { kind: form.kind, department: form.department, sourceRecord: form.sourceRecord, until: form.until }
    : { code: form.code, kind: form.kind, department: form.department, sourceRecord: form.sourceRecord, reason: form.reason, since: form.since, until: form.until || null };
  const result = await ctx.graph<{ entry: { code: string; kind: string; since: string; until: string | null } }>(
    end
      ? `mutation End($input: EndListEntryInput!) { entry: endListEntry(input: $input) { code kind since until } }`
      : `mutation Publish($input: PublishListEntryInput!) { entry: publishListEntry(input: $input) { code kind since until } }`,
    { input },
    ctx.credential,
  );
  if (!result.data?.entry) return writeRefusal(locale, t(locale, 'refused'), result) ?? notice('error', t(locale, 'error'));
  const entry = result.data.entry;
  return notice('ok', html`${t(locale, end ? 'ended' : 'published')} <a href="/subject/${entry.code}"><code>${entry.code}</code></a> ${valueName(entry.kind, locale)} ${entry.since} – ${entry.until ?? ''}`);
}

export function publishPage(ctx: ConsoleContext, message: Html | null): string {
  const { locale } = ctx;
  const kinds = html`${['BLACK', 'RED', 'KEY_ATTENTION'].map((k) => html`<option value="${k}">${valueName(k, locale)}</option>`)}`;
  const departments = html`${DEPARTMENTS.map((d) => html`<option value="${d}">${departmentName(d, locale)}</option>`)}`;
  const body = html`${message ?? ''}
    <section aria-labelledby="publish"><h2 id="publish">${t(locale, 'publishTitle')}</h2>
    <form class="stack" method="post" action="/console/lists">
      <div class="field"><label for="p-code">${t(locale, 'code')}</label><input id="p-code" name="code" required></div>
      <div class="field"><label for="p-kind">${t(locale, 'kind')}</label><select id="p-kind" name="kind">${kinds}</select></div>
      <div class="field"><label for="p-department">${t(locale, 'department')}</label><select id="p-department" name="department">${departments}</select></div>
      <div class="field"><label for="p-source">${t(locale, 'sourceRecord')}</label><input id="p-source" name="sourceRecord" required></div>
      <div class="field"><label for="p-reason">${t(locale, 'reason')}</label><input id="p-reason" name="reason" required></div>
      <div class="field"><label for="p-since">${t(locale, 'since')}</label><input id="p-since" name="since" type="date" required></div>
      <div class="field"><label for="p-until">${t(locale, 'until')}</label><input id="p-until" name="until" type="date"></div>
      <button type="submit">${t(locale, 'publishButton')}</button>
    </form></section>
    <section aria-labelledby="end"><h2 id="end">${t(locale, 'endTitle')}</h2>
    <form class="stack" method="post" action="/console/lists/end">
      <div class="field"><label for="e-kind">${t(locale, 'kind')}</label><select id="e-kind" name="kind">${kinds}</select></div>
      <div class="field"><label for="e-department">${t(locale, 'department')}</label><select id="e-department" name="department">${departments}</select></div>
      <div class="field"><label for="e-source">${t(locale, 'sourceRecord')}</label><input id="e-source" name="sourceRecord" required></div>
      <div class="field"><label for="e-until">${t(locale, 'until')}</label><input id="e-until" name="until" type="date" required></div>
      <button type="submit">${t(locale, 'endButton')}</button>
    </form></section>`;
  return consolePage(ctx, t(locale, 'navPublish'), body);
}

// --- The measures catalogue and its versions ---

interface CatalogueData {
  latest: { version: number };
  shown: { version: number; publishedAt: string; note: string; measures: { code: string; name: string; kind: string; mandatory: boolean; channel: string; legalBasis: string }[] };
}

export async function cataloguePage(ctx: ConsoleContext): Promise<string> {
  const { locale } = ctx;
  const version = positiveIntParam(ctx.query, 'version');
  const result = await ctx.graph<CatalogueData>(
    `query Catalogue($version: Int) { latest: measureCatalogue { version } shown: measureCatalogue(version: $version) { version publishedAt note measures { code name kind mandatory channel legalBasis } } }`,
    { version },
    ctx.credential,
  );
  const data = result.data;
  const body = data?.latest && data.shown
    ? html`<form class="filters" method="get" action="/console/catalogue">
        <div class="field"><label for="version">${t(locale, 'version')}</label><select id="version" name="version">
          ${Array.from({ length: data.latest.version }, (_, i) => data.latest.version - i).map((v) => html`<option value="${v}"${v === data.shown.version ? html` selected` : ''}>${v}</option>`)}
        </select></div><button type="submit">${t(locale, 'showVersion')}</button></form>
        <p>${t(locale, 'version')} ${data.shown.version} · ${dayInChina(data.shown.publishedAt)} · ${data.shown.note}</p>
        <table class="results"><caption>${t(locale, 'catalogueTitle')}</caption><thead><tr><th scope="col">${t(locale, 'measureName')}</th><th scope="col">${t(locale, 'kind')}</th>
          <th scope="col">${t(locale, 'mandatory')}</th><th scope="col">${t(locale, 'channel')}</th><th scope="col">${t(locale, 'legalBasis')}</th></tr></thead>
          <tbody>${data.shown.measures.map((m) => html`<tr><td>${m.name}<br><code>${m.code}</code></td><td>${valueName(m.kind, locale)}</td><td>${m.mandatory ? t(locale, 'yes') : ''}</td><td>${word(locale, `channel${m.channel}`)}</td><td>${m.legalBasis}</td></tr>`)}</tbody></table>`
    : (errorNotice(locale, result) ?? html``);
  return consolePage(ctx, t(locale, 'catalogueTitle'), body);
}

// --- A repair application or a joint case by its id (the dashboard lists the pending applications) ---

/** A workflow field's name in words (fieldSubjectCode for subjectCode), or the name itself. */
function fieldLabel(locale: Locale, key: string): string {
  const messageKey = `field${key[0]!.toUpperCase()}${key.slice(1)}`;
  return word(locale, messageKey);
}

/** A workflow field's value in words: departments, statuses and the graph's other enum values by their names. */
function fieldValue(locale: Locale, key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (key.endsWith('epartment')) return departmentName(String(value), locale);
  if (key === 'status') return statusName(String(value), locale);
  if (key === 'recordKind' || key === 'trigger') return valueName(String(value), locale);
  if (key === 'outcome' || key === 'correction') return word(locale, `${key}${String(value)}`);
  if (typeof value === 'boolean') return t(locale, value ? 'boolTrue' : 'boolFalse');
  // An instant (appliedAt, decidedAt, createdAt): Beijing time, as every page writes one.
  if (key.endsWith('At')) return beijingTime(String(value), locale);
  return String(value);
}

export async function lookupPage(ctx: ConsoleContext): Promise<string> {
  const { locale, query } = ctx;
  const repairId = query.repair?.trim() || null;
  const jointCaseId = query.jointCase?.trim() || null;
  const objectionId = query.objection?.trim() || null;
  let found: Html | null = null;
  if (repairId || jointCaseId || objectionId) {
    const result = await ctx.graph<{ repair?: Record<string, unknown> | null; objection?: Record<string, unknown> | null; jointCase?: { id: string; subjectCode: string; initiatingDepartment: string; trigger: string; recordId: string; createdAt: string; feedback: { measureCode: string; department: string; action: string; note: string | null; submittedAt: string }[] } | null }>(
      repairId
        ? `query Repair($id: ID!) { repair: repairApplication(id: $id) { id subjectCode department recordId recordKind status appliedAt eligibleFrom decidedAt decisionNote } }`
        : objectionId
          ? `query Objection($id: ID!) { objection(id: $id) { id subjectCode department recordId reason status filedAt verifyBy overdue resolvedAt outcome correction resolutionNote } }`
          : `query JointCase($id: ID!) { jointCase(id: $id) { id subjectCode initiatingDepartment trigger recordId createdAt feedback { measureCode department action note submittedAt } } }`,
      { id: repairId ?? objectionId ?? jointCaseId },
      ctx.credential,
    );
    const item = repairId ? result.data?.repair : objectionId ? result.data?.objection : result.data?.jointCase;
    found = sectionError(locale, result) ?? (item
      ? html`<dl class="facts">${Object.entries(item).filter(([key]) => key !== 'feedback').map(([key, value]) => html`<div><dt>${fieldLabel(locale, key)}</dt><dd>${fieldValue(locale, key, value)}</dd></div>`)}</dl>
        ${repairId && result.data?.repair?.status === 'PENDING' ? html`<p><a class="button" href="/console/desk?repair=${repairId}#repair-title">${t(locale, 'decideRepair')}</a></p>` : ''}
        ${objectionId && result.data?.objection?.status === 'OPEN' ? html`<p><a class="button" href="/console/desk?objection=${objectionId}#verify-title">${t(locale, 'verifyObjection')}</a></p>` : ''}
        ${result.data?.jointCase ? html`<h2>${t(locale, 'feedback')}</h2><ul>${result.data.jointCase.feedback.map((f) => html`<li>${dayInChina(f.submittedAt)} ${departmentName(f.department, locale)} ${f.measureCode} ${valueName(f.action, locale)} ${f.note ?? ''}</li>`)}</ul>` : ''}`
      : notice('info', t(locale, 'notFound')));
  }
  return consolePage(ctx, t(locale, 'lookupTitle'), html`<form class="filters" method="get" action="/console/lookup">
      <div class="field"><label for="objection">${t(locale, 'objectionNumber')}</label><input id="objection" name="objection" value="${objectionId ?? ''}"></div>
      <button type="submit">${t(locale, 'lookup')}</button></form>
    <form class="filters" method="get" action="/console/lookup">
      <div class="field"><label for="repair">${t(locale, 'repairId')}</label><input id="repair" name="repair" value="${repairId ?? ''}"></div>
      <button type="submit">${t(locale, 'lookup')}</button></form>
    <form class="filters" method="get" action="/console/lookup">
      <div class="field"><label for="jointCase">${t(locale, 'jointCaseId')}</label><input id="jointCase" name="jointCase" value="${jointCaseId ?? ''}"></div>
      <button type="submit">${t(locale, 'lookup')}</button></form>
    ${found ?? ''}`);
}

