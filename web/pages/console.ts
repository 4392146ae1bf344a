/**
 * The credit office's console: a clerk logs in with the API key of the credit office or a
 * department (or a trading platform, for the bidder check) and works through the same API
 * and authorisation as any client; what the key's role may not read shows as such.
 */
import { departmentName, valueName, type Locale } from '../../lib/credit-report';
import { validateSubjectCode } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { barChart } from '../charts';
import type { Credential, GraphRequest, GraphResult } from '../graph';
import { html, notice, page, type Html } from '../html';
import { t, word, type MessageKey } from '../i18n';
import { errorNotice, type PageContext } from './context';

export interface ConsoleContext extends PageContext {
  credential: Credential;
}

export const consolePage = (ctx: PageContext, title: string, body: Html) => page({ locale: ctx.locale, url: ctx.url, title, body, console: true });

const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'];
const SCENARIOS = ['PUBLIC_RESOURCE_TRADING', 'ADMINISTRATIVE_LICENSING', 'FINANCIAL_SERVICES', 'FISCAL_SUPPORT', 'HONORS_AND_AWARDS', 'REGULATORY_INSPECTION'];

/** What logging in with a credential came to: the gateway's verdict on it. */
export type LoginOutcome = 'ok' | 'refused' | 'rate-limited' | 'unavailable';

/**
 * Whether a credential works: the gateway refuses a bad one with 401 whatever is asked, and
 * answers a good one; too many failed attempts from this address are 429, and an unreachable
 * gateway or credential service proves nothing, so neither is a login.
 */
export async function loginOutcome(graph: GraphRequest, credential: Credential): Promise<LoginOutcome> {
  const result = await graph('{ __typename }', {}, credential);
  if (result.status === 200 && result.errors.length === 0) return 'ok';
  if (result.status === 429) return 'rate-limited';
  return result.status === 401 ? 'refused' : 'unavailable';
}

const LOGIN_REFUSALS: Record<Exclude<LoginOutcome, 'ok'>, { status: number; message: MessageKey }> = {
  refused: { status: 401, message: 'badKey' },
  'rate-limited': { status: 429, message: 'rateLimited' },
  unavailable: { status: 503, message: 'loginUnavailable' },
};

/** The login page, with why the last attempt did not log in. */
export function loginPage(ctx: PageContext, outcome: LoginOutcome | null): string {
  const { locale } = ctx;
  const refusal = outcome && outcome !== 'ok' ? LOGIN_REFUSALS[outcome] : null;
  return page({
    locale,
    url: ctx.url,
    title: t(locale, 'consoleLogin'),
    body: html`${refusal ? notice('error', t(locale, refusal.message)) : ''}
      <form class="stack" method="post" action="/console/login">
        <div class="field"><label for="apiKey">${t(locale, 'apiKey')}</label><input id="apiKey" name="apiKey" type="password" required autocomplete="off"></div>
        <div class="field"><label for="purpose">${t(locale, 'purpose')}</label><input id="purpose" name="purpose" required value="信用办日常监管"></div>
        <button type="submit">${t(locale, 'login')}</button>
      </form>`,
  });
}

const logoutForm = (locale: Locale) => html`<form class="logout" method="post" action="/console/logout"><button type="submit">${t(locale, 'logout')}</button></form>`;

/** The forbidden part of an answer shows as such; other errors as errors. */
export function sectionError(locale: Locale, result: GraphResult<unknown>): Html | null {
  if (result.errors.some((e) => e.extensions?.code === 'FORBIDDEN')) return notice('info', t(locale, 'forbidden'));
  return errorNotice(locale, result);
}

interface ObjectionRow { id: string; subjectCode: string; department: string; recordId: string; reason: string; filedAt: string; verifyBy: string; overdue: boolean }

function objectionTable(locale: Locale, rows: ObjectionRow[], caption: string): Html {
  if (rows.length === 0) return html`<p class="empty">${t(locale, 'noObjections')}</p>`;
  return html`<table class="results"><caption class="visually-hidden">${caption}</caption><thead><tr>
    <th scope="col">${t(locale, 'objectionId')}</th><th scope="col">${t(locale, 'subject')}</th><th scope="col">${t(locale, 'department')}</th>
    <th scope="col">${t(locale, 'record')}</th><th scope="col">${t(locale, 'filedAt')}</th><th scope="col">${t(locale, 'verifyBy')}</th></tr></thead>
    <tbody>${rows.map((o) => html`<tr${o.overdue ? html` class="overdue"` : ''}><td>${o.id}</td><td><a href="/subject/${o.subjectCode}"><code>${o.subjectCode}</code></a></td>
      <td>${departmentName(o.department, locale)}</td><td>${o.recordId}<br><span class="hint">${o.reason}</span></td><td>${o.filedAt.slice(0, 10)}</td>
      <td>${o.verifyBy}${o.overdue ? html` <strong class="flag">${t(locale, 'overdue')}</strong>` : ''}</td></tr>`)}</tbody></table>`;
}

/** The last six months of China dates, oldest first, the current month up to today. */
export function lastMonths(today: string, count = 6): { label: string; from: string; to: string }[] {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const first = new Date(Date.UTC(year, month - 1 - (count - 1 - i), 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    return { label: iso(first).slice(0, 7), from: iso(first), to: i === count - 1 ? today : iso(last) };
  });
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
  const months = lastMonths(todayInChina());
  const objectionFields = 'nodes { id subjectCode department recordId reason filedAt verifyBy overdue }';
  const statistics = `query Statistics {
    total: creditStatistics(from: "${months[0]!.from}", to: "${months[months.length - 1]!.to}") { byDepartment { department measuresApplied measuresFedBack objectionsOverdue } }
    ${months.map((m, i) => `m${i}: creditStatistics(from: "${m.from}", to: "${m.to}") { checksTotal hits byDepartment { department measuresApplied measuresFedBack } }`).join('\n')}
    ${months.map((m, i) => `p${i}: marketPublicationTimeliness(from: "${m.from}", to: "${m.to}") { penalties { publishedLate } licences { publishedLate } }`).join('\n')}
  }`;
  // Separate requests: a role that may not read one part still gets the others.
  const [objections, figures, feedbackNotice] = await Promise.all([
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
  ]);
  const noticeHtml = feedbackNotice.data ? noticeTable(locale, feedbackNotice.data.implementationNotice) : sectionError(locale, feedbackNotice);
  const objectionsHtml = objections.data
    ? html`<h3>${t(locale, 'objectionsOverdue')}</h3>${objectionTable(locale, objections.data.overdue.nodes, t(locale, 'objectionsOverdue'))}
        <h3>${t(locale, 'objectionsOpen')}</h3>${objectionTable(locale, objections.data.open.nodes, t(locale, 'objectionsOpen'))}`
    : sectionError(locale, objections);
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
  return consolePage(ctx, t(locale, 'dashboardTitle'), html`${logoutForm(locale)}
    <section aria-labelledby="objections"><h2 id="objections">${t(locale, 'objectionsSection')}</h2>${objectionsHtml}</section>
    <section aria-labelledby="notice"><h2 id="notice">${t(locale, 'noticeSection')}</h2>${noticeHtml}</section>
    <section aria-labelledby="statistics"><h2 id="statistics">${t(locale, 'statistics')}</h2>${charts}</section>`);
}

// --- The bidder check (as on Credit China: paste or upload codes, one creditChecks call) ---

export const MAX_BIDDERS = 1000;

export interface CheckTable {
  header: string[];
  rows: string[][];
  /** Each line of the input that was not checked (an invalid code, a name that matched no or several subjects), with why: in the CSV too, so the record of the check is complete. */
  unchecked: string[][];
  /** Each row's verdict as the graph said it (the rows hold it in words). */
  verdicts: string[];
}

/** A bidder as pasted or uploaded: a code (perhaps mistyped), or a registered name. */
export type BidderToken = { code: string } | { name: string };

const HEADER_CELLS = /^(code|name|序号|代码|名称|企业名称|单位名称|投标人|投标人名称|统一社会信用代码)$/i;

/**
 * Bidders from pasted text or a CSV export, in order: cells are separated by lines, commas,
 * semicolons or tabs. A cell with a Latin letter or digit holds codes (several may be separated
 * by spaces; a mistyped one is kept, to be reported invalid); a cell without any is a name.
 * Header cells are skipped.
 */
export function parseBidders(text: string): BidderToken[] {
  return text
    .split(/[\r\n,;，；\t]+/)
    .map((cell) => cell.replace(/^["'\uFEFF\s]+|["'\s]+$/g, ''))
    .filter((cell) => cell !== '' && !HEADER_CELLS.test(cell))
    .flatMap((cell): BidderToken[] => (/[0-9A-Za-z]/.test(cell) ? cell.split(/\s+/).map((code) => ({ code })) : [{ name: cell }]));
}

/** Names resolved per request: each is one aliased searchSubjects, within the gateway's alias limit. */
const NAMES_PER_REQUEST = 25;
export const MAX_NAMES = 100;

/**
 * Registered names to codes: a name counts only when exactly one registered subject has exactly
 * that name (score 3); anything else is reported, never guessed.
 */
async function resolveNames(ctx: ConsoleContext, names: string[]): Promise<{ codes: Map<string, string>; problems: string[] }> {
  const { locale } = ctx;
  const codes = new Map<string, string>();
  const problems: string[] = [];
  for (let at = 0; at < names.length; at += NAMES_PER_REQUEST) {
    const chunk = names.slice(at, at + NAMES_PER_REQUEST);
    const query = `query ResolveNames(${chunk.map((_, i) => `$n${i}: String!`).join(', ')}) {
      ${chunk.map((_, i) => `n${i}: searchSubjects(query: $n${i}, first: 3) { nodes { score subject { code name } } }`).join('\n')} }`;
    const result = await ctx.graph<Record<string, { nodes: { score: number; subject: { code: string; name: string | null } }[] } | null>>(
      query,
      Object.fromEntries(chunk.map((name, i) => [`n${i}`, name])),
      ctx.credential,
    );
    chunk.forEach((name, i) => {
      const exact = (result.data?.[`n${i}`]?.nodes ?? []).filter((node) => node.score === 3 && node.subject.name === name);
      if (exact.length === 1) codes.set(name, exact[0]!.subject.code);
      else problems.push(`${name}：${t(locale, exact.length === 0 ? 'nameNotFound' : 'nameAmbiguous')}`);
    });
  }
  return { codes, problems };
}

interface CheckData {
  creditChecks: { checkId: string; code: string; verdict: string; registered: boolean | null; missingSources: string[]; checkedAt: string; measures: { code: string; name: string; effect: string; appliesTo: string; initiatingDepartment: string; basis: string; until: string | null; suspended: boolean }[] }[];
  subjects: { code: string; name: string | null }[];
}

export async function runBidderCheck(ctx: ConsoleContext, input: { codes: string; scenario: string; purpose: string }): Promise<{ table: CheckTable | null; invalid: string[]; message: Html | null }> {
  const { locale } = ctx;
  const tokens = parseBidders(input.codes);
  const names = [...new Set(tokens.flatMap((token) => ('name' in token ? [token.name] : [])))];
  if (names.length > MAX_NAMES) return { table: null, invalid: [], message: notice('error', t(locale, 'tooManyNames', { n: MAX_NAMES })) };
  const resolved = names.length > 0 ? await resolveNames(ctx, names) : { codes: new Map<string, string>(), problems: [] };
  const valid: string[] = [];
  const invalid: string[] = [...resolved.problems];
  for (const token of tokens) {
    if ('name' in token) {
      const code = resolved.codes.get(token.name);
      if (code) valid.push(code);
      continue;
    }
    const result = validateSubjectCode(token.code);
    if (result.valid) valid.push(result.code);
    else invalid.push(`${token.code}：${result.message}`);
  }
  // A bidder given by both code and name (a CSV's two columns) is checked once, where it first appears.
  const codes = [...new Set(valid)];
  if (codes.length === 0) return { table: null, invalid, message: notice('error', t(locale, 'noCodes')) };
  if (codes.length > MAX_BIDDERS) return { table: null, invalid, message: notice('error', t(locale, 'tooManyCodes')) };
  const scenario = SCENARIOS.includes(input.scenario) ? input.scenario : 'PUBLIC_RESOURCE_TRADING';
  const result = await ctx.graph<CheckData>(
    `query BidderCheck($codes: [ID!]!, $scenario: Scenario!) {
      creditChecks(codes: $codes, scenario: $scenario) { checkId code verdict registered missingSources checkedAt measures { code name effect appliesTo initiatingDepartment basis until suspended } }
      subjects(codes: $codes) { code name } }`,
    { codes, scenario },
    { apiKey: ctx.credential.apiKey, purpose: input.purpose.trim() || ctx.credential.purpose },
  );
  if (!result.data?.creditChecks) return { table: null, invalid, message: sectionError(locale, result) };
  const registeredNames = new Map(result.data.subjects?.map((s) => [s.code, s.name]) ?? []);
  const table: CheckTable = {
    header: [t(locale, 'code'), t(locale, 'name'), t(locale, 'verdict'), t(locale, 'measures'), t(locale, 'missing'), t(locale, 'checkedAt'), t(locale, 'checkId')],
    rows: result.data.creditChecks.map((check) => [
      check.code,
      // A bidder no department knows is said to be so, not shown as a clean one with no name.
      check.registered === false ? t(locale, 'notRegistered') : check.registered === null ? `${registeredNames.get(check.code) ?? ''}${t(locale, 'registrationUnknown')}` : (registeredNames.get(check.code) ?? ''),
      word(locale, check.verdict),
      check.measures
        .map((m) => `${m.name}${m.appliesTo === 'LEGAL_REPRESENTATIVE' ? t(locale, 'toLegalRep') : ''}（${departmentName(m.initiatingDepartment, locale)}；${m.basis}${m.until ? `；${m.until}` : ''}）${m.suspended ? t(locale, 'suspended') : ''}`)
        .join('\n'),
      check.missingSources.map((d) => departmentName(d, locale)).join('、'),
      check.checkedAt,
      check.checkId,
    ]),
    unchecked: invalid.map((problem) => [problem, '', t(locale, 'notChecked'), '', '', '', '']),
    verdicts: result.data.creditChecks.map((check) => check.verdict),
  };
  return { table, invalid, message: errorNotice(locale, result) };
}

/**
 * RFC 4180 CSV with a byte-order mark, so spreadsheet programs read the Chinese text as UTF-8.
 * A cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe:
 * names come from the departments' data, not from us.
 */
export function toCsv(table: Pick<CheckTable, 'header' | 'rows'>): string {
  const inert = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
  const cell = (raw: string) => {
    const value = inert(raw);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  return `\uFEFF${[table.header, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function checkPage(ctx: ConsoleContext, state: { codes: string; scenario: string; purpose: string; outcome?: Awaited<ReturnType<typeof runBidderCheck>> }): string {
  const { locale } = ctx;
  const outcome = state.outcome;
  const verdictClass = (verdict: string) => `verdict-${verdict.toLowerCase()}`;
  const body = html`<form class="stack" method="post" action="/console/check">
      <div class="field"><label for="codes">${t(locale, 'codesLabel')}</label><textarea id="codes" name="codes" rows="8" required>${state.codes}</textarea></div>
      <div class="field"><label for="csv">${t(locale, 'csvLabel')}</label><input id="csv" type="file" accept=".csv,text/csv" data-fills="codes"></div>
      <div class="field"><label for="scenario">${t(locale, 'scenario')}</label><select id="scenario" name="scenario">
        ${SCENARIOS.map((s) => html`<option value="${s}"${s === state.scenario ? html` selected` : ''}>${valueName(s, locale)}</option>`)}</select></div>
      <div class="field"><label for="purpose">${t(locale, 'purpose')}</label><input id="purpose" name="purpose" value="${state.purpose}" required></div>
      <button type="submit">${t(locale, 'runCheck')}</button>
    </form>
    ${outcome?.message ?? ''}
    ${outcome && outcome.invalid.length > 0 ? notice('error', html`${t(locale, 'invalidCodes')}：<ul>${outcome.invalid.map((i) => html`<li>${i}</li>`)}</ul>`) : ''}
    ${outcome?.table
      ? html`<p><a class="button" href="/console/check.csv" download>${t(locale, 'downloadCsv')}</a></p>
        <table class="results check"><caption>${t(locale, 'checkTitle')}</caption><thead><tr>${outcome.table.header.slice(0, 5).map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
        <tbody>${outcome.table.rows.map((row, i) => html`<tr><td><code>${row[0]}</code></td><td>${row[1]}</td>
          <td class="${verdictClass(outcome.table!.verdicts[i] ?? '')}">${row[2]}</td>
          <td>${row[3]!.split('\n').filter(Boolean).map((m) => html`<div>${m}</div>`)}</td><td>${row[4]}</td></tr>`)}</tbody></table>`
      : ''}`;
  return consolePage(ctx, t(locale, 'checkTitle'), body);
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
  if (!result.data?.entry) return sectionError(locale, result) ?? notice('error', t(locale, 'error'));
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
  const requested = Number(ctx.query.version);
  const version = Number.isInteger(requested) && requested > 0 ? requested : null;
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
        <p>${t(locale, 'version')} ${data.shown.version} · ${data.shown.publishedAt.slice(0, 10)} · ${data.shown.note}</p>
        <table class="results"><caption>${t(locale, 'catalogueTitle')}</caption><thead><tr><th scope="col">${t(locale, 'measureName')}</th><th scope="col">${t(locale, 'kind')}</th>
          <th scope="col">${t(locale, 'mandatory')}</th><th scope="col">${t(locale, 'channel')}</th><th scope="col">${t(locale, 'legalBasis')}</th></tr></thead>
          <tbody>${data.shown.measures.map((m) => html`<tr><td>${m.name}<br><code>${m.code}</code></td><td>${m.kind}</td><td>${m.mandatory ? t(locale, 'yes') : ''}</td><td>${m.channel}</td><td>${m.legalBasis}</td></tr>`)}</tbody></table>`
    : (errorNotice(locale, result) ?? html``);
  return consolePage(ctx, t(locale, 'catalogueTitle'), body);
}

// --- Repair applications and joint cases, by id (the graph has no list of them yet) ---

/** A workflow field's name in words (fieldSubjectCode for subjectCode), or the name itself. */
function fieldLabel(locale: Locale, key: string): string {
  const messageKey = `field${key[0]!.toUpperCase()}${key.slice(1)}`;
  return word(locale, messageKey);
}

export async function lookupPage(ctx: ConsoleContext): Promise<string> {
  const { locale, query } = ctx;
  const repairId = query.repair?.trim() || null;
  const jointCaseId = query.jointCase?.trim() || null;
  let found: Html | null = null;
  if (repairId || jointCaseId) {
    const result = await ctx.graph<{ repair?: Record<string, unknown> | null; jointCase?: { id: string; subjectCode: string; initiatingDepartment: string; trigger: string; recordId: string; createdAt: string; feedback: { measureCode: string; department: string; action: string; note: string | null; submittedAt: string }[] } | null }>(
      repairId
        ? `query Repair($id: ID!) { repair: repairApplication(id: $id) { id subjectCode department recordId recordKind status appliedAt eligibleFrom decidedAt decisionNote } }`
        : `query JointCase($id: ID!) { jointCase(id: $id) { id subjectCode initiatingDepartment trigger recordId createdAt feedback { measureCode department action note submittedAt } } }`,
      { id: repairId ?? jointCaseId },
      ctx.credential,
    );
    const item = repairId ? result.data?.repair : result.data?.jointCase;
    found = sectionError(locale, result) ?? (item
      ? html`<dl class="facts">${Object.entries(item).filter(([key]) => key !== 'feedback').map(([key, value]) => html`<div><dt>${fieldLabel(locale, key)}</dt><dd>${
          value === null ? '—' : key.endsWith('epartment') ? departmentName(String(value), locale) : String(value)}</dd></div>`)}</dl>
        ${result.data?.jointCase ? html`<h2>${t(locale, 'feedback')}</h2><ul>${result.data.jointCase.feedback.map((f) => html`<li>${f.submittedAt.slice(0, 10)} ${f.department} ${f.measureCode} ${f.action} ${f.note ?? ''}</li>`)}</ul>` : ''}`
      : notice('info', t(locale, 'notFound')));
  }
  return consolePage(ctx, t(locale, 'lookupTitle'), html`<form class="filters" method="get" action="/console/lookup">
      <div class="field"><label for="repair">${t(locale, 'repairId')}</label><input id="repair" name="repair" value="${repairId ?? ''}"></div>
      <button type="submit">${t(locale, 'lookup')}</button></form>
    <form class="filters" method="get" action="/console/lookup">
      <div class="field"><label for="jointCase">${t(locale, 'jointCaseId')}</label><input id="jointCase" name="jointCase" value="${jointCaseId ?? ''}"></div>
      <button type="submit">${t(locale, 'lookup')}</button></form>
    ${found ?? ''}`);
}

/** The HTTP status of a login page after `outcome`. */
export const loginStatus = (outcome: Exclude<LoginOutcome, 'ok'>): number => LOGIN_REFUSALS[outcome].status;
