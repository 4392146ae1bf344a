/**
 * The public pages (甘州 二(一), 五(三); 柴桑 (十六)): search, the subject page and its credit
 * report, the lists, double publicity, report verification, and where to file objections. Every
 * read is the gateway's public API without a credential: what PUBLIC may read, masked.
 */
import crypto from 'node:crypto';
import {
  beijingTime, departmentName, label, listEntryInForce, publishedListEntries, REPAIR_NOTICE_SELECTION, REPORT_SELECTION, reportSections, roleName, subjectLabels, valueName,
  type Locale, type ReportListEntry, type ReportRecords, type ReportRepairNotice, type ReportSection,
} from '../../lib/credit-report';
import { validateSubjectCode } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { html, href, notice, page, type Html } from '../html';
import { t, word } from '../i18n';
import { errorNotice, listedSubject, pager, type PageContext } from './context';
import { dateField, field, selectField } from '../form';
import { choiceParam, dateRangeParams } from '../filters';
import { INSPECTION_RESULT_FIELDS, PUBLIC_COMMITMENT_FIELDS, supervisionSectionsHtml, type InspectionResult, type PublicCommitment } from './supervision';

const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'];
const LIST_KINDS = ['BLACK', 'RED', 'KEY_ATTENTION'];

function listBadges(locale: Locale, entries: { kind: string; since: string; until: string | null }[]): Html {
  const today = todayInChina();
  const kinds = [...new Set(entries.filter((e) => listEntryInForce(e, today)).map((e) => e.kind))];
  return html`${kinds.map((kind) => html`<span class="badge ${kind.toLowerCase()}">${valueName(kind, locale)}</span> `)}`;
}

function searchForm(locale: Locale, q: string): Html {
  return html`<form class="search" action="/search" method="get" role="search">
    <label for="q">${t(locale, 'searchLabel')}</label>
    <div class="row"><input id="q" name="q" type="search" value="${q}" required maxlength="100" aria-describedby="q-hint" autocomplete="off">
    <button type="submit">${t(locale, 'searchButton')}</button></div>
    <p id="q-hint" class="hint">${t(locale, 'searchHint')}</p>
  </form>`;
}

export function homePage(ctx: PageContext): string {
  return page({
    locale: ctx.locale,
    url: ctx.url,
    title: t(ctx.locale, 'searchTitle'),
    body: html`${searchForm(ctx.locale, '')}
      <ul class="tiles">
        <li><a href="/lists?kind=BLACK">${valueName('BLACK', ctx.locale)}</a></li>
        <li><a href="/lists?kind=RED">${valueName('RED', ctx.locale)}</a></li>
        <li><a href="/lists?kind=KEY_ATTENTION">${valueName('KEY_ATTENTION', ctx.locale)}</a></li>
        <li><a href="/publicity">${t(ctx.locale, 'navPublicity')}</a></li>
        <li><a href="/verify">${t(ctx.locale, 'navVerify')}</a></li>
        <li><a href="/commitments">${t(ctx.locale, 'navCommitments')}</a></li>
        <li><a href="/inspections">${t(ctx.locale, 'navInspections')}</a></li>
        <li><a href="/conduct-reports">${t(ctx.locale, 'navConductReports')}</a></li>
      </ul>`,
  });
}

interface SearchData {
  searchSubjects: {
    totalCount: number;
    hasNextPage: boolean;
    endCursor: string | null;
    nodes: { subject: { code: string; name: string | null; lists: { kind: string; since: string; until: string | null }[] } }[];
  };
}

/**
 * A whole code goes straight to its subject page: a valid one to the subject, a mistyped one
 * (18 code characters) to the page that says what is wrong with it as the graph does (the check
 * character expected), not to a search that would say only that nothing matched. Anything else
 * is searched.
 */
export async function searchPage(ctx: PageContext): Promise<{ redirect: string } | string> {
  const q = (ctx.query.q ?? '').trim();
  const { locale } = ctx;
  const code = validateSubjectCode(q);
  if (code.valid) return { redirect: `/subject/${code.code}` };
  if (/^[0-9A-Za-z]{18}$/.test(q)) return { redirect: `/subject/${encodeURIComponent(q.toUpperCase())}` };
  let body: Html = searchForm(locale, q);
  if (q) {
    const result = await ctx.graph<SearchData>(
      `query Search($q: String!, $after: String) { searchSubjects(query: $q, first: 20, after: $after) {
        totalCount hasNextPage endCursor nodes { subject { code name lists { kind since until } } } } }`,
      { q, after: ctx.query.after ?? null },
    );
    const found = result.data?.searchSubjects;
    body = html`${body}${errorNotice(locale, result)}${
      found
        ? found.nodes.length === 0
          ? notice('info', t(locale, 'searchNone'))
          : html`<p class="count" role="status">${t(locale, 'searchResults', { n: found.totalCount })}</p>
            <table class="results"><thead><tr><th scope="col">${t(locale, 'name')}</th><th scope="col">${t(locale, 'code')}</th><th scope="col">${t(locale, 'lists')}</th></tr></thead>
            <tbody>${found.nodes.map((n) => html`<tr>
              <td><a href="/subject/${n.subject.code}">${n.subject.name ?? t(locale, 'noName')}</a></td>
              <td><code>${n.subject.code}</code></td><td>${listBadges(locale, n.subject.lists)}</td></tr>`)}</tbody></table>
            ${pager(locale, ctx.url, found.hasNextPage ? found.endCursor : null, !!ctx.query.after)}`
        : ''
    }`;
  }
  return page({ locale, url: ctx.url, title: t(locale, 'searchTitle'), body });
}

interface SubjectData {
  subject:
    | ({
        code: string; kind: string; registered: boolean | null; lists: ReportListEntry[]; repairNotices: ReportRepairNotice[] | null;
        publicCommitments: PublicCommitment[] | null; inspectionResults: InspectionResult[] | null;
      } & ReportRecords)
    | null;
}

/** A record's id, and links that open the self-service forms for it (the subject's own objection or repair). */
function recordActions(locale: Locale, subjectCode: string, record: { department: string; recordId: string; repairable: boolean }, disputed: boolean): Html {
  const query = `subject=${encodeURIComponent(subjectCode)}&department=${encodeURIComponent(record.department)}&record=${encodeURIComponent(record.recordId)}`;
  // Repair only where it applies (policy: penalties, the market's lists, a breached commitment): elsewhere it is always refused.
  // One objection at a time: while one is being verified a second is refused, so none is offered.
  return html`<p class="record-id">${t(locale, 'recordId')}：<code>${record.recordId}</code>
    ${disputed ? '' : html`<a href="/self-service?${query}#objection-title">${t(locale, 'disputeRecord')}</a>`}
    ${record.repairable ? html`<a href="/self-service?${query}#repair-title">${t(locale, 'repairRecord')}</a>` : ''}</p>`;
}

export function sectionsHtml(locale: Locale, sections: ReportSection[], subjectCode: string): Html {
  return html`${sections.map((section) => html`<section class="records" aria-labelledby="s-${section.id}">
    <h2 id="s-${section.id}">${section.title} <span class="provider">${t(locale, 'provider')}：${section.department}</span></h2>
    ${section.note ? html`<p class="empty">${section.note}</p>` : ''}
    ${section.items.map((item) => html`<article class="record${item.mark ? ` marked ${item.mark.toLowerCase()}` : ''}">
      <h3>${item.title}${item.mark ? html` <span class="mark">${t(locale, item.mark)}</span>` : ''}</h3>
      <dl>
        ${item.authority ? html`<div><dt>${t(locale, 'authority')}</dt><dd>${item.authority}</dd></div>` : ''}
        ${item.basis ? html`<div><dt>${t(locale, 'basis')}</dt><dd>${item.basis}</dd></div>` : ''}
        ${item.fields.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}
      </dl>
      ${item.record ? recordActions(locale, subjectCode, item.record, item.mark === 'DISPUTED') : ''}
    </article>`)}
  </section>`)}`;
}

export async function subjectPage(ctx: PageContext, rawCode: string): Promise<string> {
  const { locale } = ctx;
  const result = await ctx.graph<SubjectData>(
    `query SubjectPage($code: ID!) { subject(code: $code) {
      code kind registered lists { kind reason department sourceRecord since until dispute { since verifyBy } } ${REPAIR_NOTICE_SELECTION} ${REPORT_SELECTION}
      publicCommitments { ${PUBLIC_COMMITMENT_FIELDS} } inspectionResults { ${INSPECTION_RESULT_FIELDS} } } }`,
    { code: rawCode },
  );
  const subject = result.data?.subject;
  if (!subject) {
    return page({ locale, url: ctx.url, title: t(locale, 'subjectTitle'), body: html`${errorNotice(locale, result)}${searchForm(locale, rawCode)}` });
  }
  const person = subject.kind === 'NATURAL_PERSON';
  const labels = subjectLabels(subject.code, subject.name, locale);
  const heading = html`<p class="subject-code">${labels.codeLabel}：<code>${subject.code}</code> ${listBadges(locale, subject.lists)}</p>${errorNotice(locale, result)}`;
  // Nobody knows the subject: said plainly, with no report to download and no empty sections that read as a clean record.
  if (subject.registered === false) {
    return page({
      locale,
      url: ctx.url,
      title: person ? labels.name : subject.code,
      body: html`${heading}<div class="notice error unregistered" role="alert"><strong>${t(locale, person ? 'personNotKnown' : 'subjectNotRegistered')}</strong></div>`,
    });
  }
  const sections = reportSections(subject, publishedListEntries(subject.lists), locale, new Map(), subject.repairNotices ?? []);
  return page({
    locale,
    url: ctx.url,
    title: person || subject.name ? labels.name : subject.code,
    body: html`${heading}
      <p><a class="button" href="/subject/${subject.code}/report.pdf">${t(locale, 'downloadReport')}</a></p>
      <p class="hint">${t(locale, 'reportNote')}</p>
      ${sectionsHtml(locale, sections, subject.code)}
      ${supervisionSectionsHtml(locale, subject.publicCommitments, subject.inspectionResults)}`,
  });
}

/** The credit report PDF, issued by the credit office for what PUBLIC may read; or a page saying why not. */
/** Seconds a visitor is told to wait when the credit office's renderer is full: a report renders in tens of milliseconds. */
const RENDER_BUSY_RETRY_SECONDS = 5;

export async function reportPdf(ctx: PageContext, code: string): Promise<{ number: string; pdf: Buffer } | { page: string; status: number; retryAfter?: number }> {
  const result = await ctx.graph<{ subject: { creditReport: { number: string; pdf: string } | null } | null }>(
    `query CreditReport($code: ID!) { subject(code: $code) { creditReport { number pdf } } }`,
    { code },
  );
  const report = result.data?.subject?.creditReport;
  if (report) return { number: report.number, pdf: Buffer.from(report.pdf, 'base64') };
  const { locale } = ctx;
  const missing = result.errors.flatMap((e) => (e.extensions?.code === 'DEPARTMENT_UNAVAILABLE' ? ((e.extensions.departments as string[] | undefined) ?? [e.extensions.department as string]) : []));
  const unregistered = result.errors.some((e) => e.extensions?.reason === 'NOT_REGISTERED');
  // RATE_LIMITED in an answer the gateway let through is the credit office's render queue being full, not this visitor's limit.
  if (result.status !== 429 && result.errors.some((e) => e.extensions?.code === 'RATE_LIMITED')) {
    return { ...reportRefusalPage(ctx, code, 503, notice('error', t(locale, 'reportBusy'))), retryAfter: RENDER_BUSY_RETRY_SECONDS };
  }
  const [status, body] = missing.length > 0
    ? [503, notice('error', t(locale, 'reportUnavailable', { departments: [...new Set(missing)].filter(Boolean).map((d) => departmentName(d, locale)).join('、') }))]
    : unregistered
      ? [404, notice('error', t(locale, 'reportNotRegistered'))]
      : [502, errorNotice(locale, result) ?? notice('error', t(locale, 'error'))];
  return reportRefusalPage(ctx, code, status, body);
}

/** The page a refused report download shows instead of a PDF, with the way back to the subject. */
export function reportRefusalPage(ctx: PageContext, code: string, status: number, body: Html): { page: string; status: number } {
  const { locale } = ctx;
  return { status, page: page({ locale, url: ctx.url, title: t(locale, 'downloadReport'), body: html`${body}<p><a href="/subject/${encodeURIComponent(code)}">${t(locale, 'backToSubject')}</a></p>` }) };
}

interface ListsData {
  listEntries: {
    hasNextPage: boolean;
    endCursor: string | null;
    nodes: { code: string; subject: { name: string | null } | null; kind: string; reason: string; department: string; sourceRecord: string; since: string; until: string | null; dispute: { since: string; verifyBy: string } | null }[];
  };
}

export async function listsPage(ctx: PageContext): Promise<string> {
  const { locale, query } = ctx;
  const kind = choiceParam(query, 'kind', LIST_KINDS, 'BLACK');
  const department = choiceParam(query, 'department', DEPARTMENTS, null);
  const [from, to] = dateRangeParams(query);
  const result = await ctx.graph<ListsData>(
    `query Lists($kind: ListKind!, $after: String, $department: Department, $from: String, $to: String) {
      listEntries(kind: $kind, first: 20, after: $after, department: $department, from: $from, to: $to) {
        hasNextPage endCursor nodes { code subject { name } kind reason department sourceRecord since until dispute { since verifyBy } } } }`,
    { kind, after: query.after ?? null, department, from, to },
  );
  const entries = result.data?.listEntries;
  const form = html`<form class="filters" method="get" action="/lists">
    ${selectField('kind', 'kind', t(locale, 'kind'), LIST_KINDS.map((k) => [k, valueName(k, locale)]), kind)}
    ${selectField('department', 'department', t(locale, 'department'), [['', t(locale, 'allDepartments')], ...DEPARTMENTS.map((d): [string, string] => [d, departmentName(d, locale)])], department ?? '')}
    ${dateField('from', 'from', t(locale, 'from'), from ?? undefined)}${dateField('to', 'to', t(locale, 'to'), to ?? undefined)}
    <button type="submit">${t(locale, 'filter')}</button>
  </form>`;
  const table = entries
    ? entries.nodes.length === 0
      ? notice('info', t(locale, 'noEntries'))
      : html`<table class="results"><caption>${valueName(kind, locale)}</caption><thead><tr>
          <th scope="col">${t(locale, 'name')}</th><th scope="col">${t(locale, 'reason')}</th><th scope="col">${t(locale, 'department')}</th>
          <th scope="col">${t(locale, 'since')}</th><th scope="col">${t(locale, 'until')}</th></tr></thead>
          <tbody>${entries.nodes.map((e) => html`<tr><td>${listedSubject(locale, e.code, e.subject?.name ?? null)}</td>
            <td>${e.reason}${e.dispute ? html` <span class="mark" title="${e.dispute.since} – ${e.dispute.verifyBy}">${t(locale, 'DISPUTED')}</span>` : ''}</td><td>${departmentName(e.department, locale)}</td><td>${e.since}</td><td>${e.until ?? label('untilOpen', locale)}</td></tr>`)}</tbody></table>
          ${pager(locale, ctx.url, entries.hasNextPage ? entries.endCursor : null, !!query.after)}`
    : '';
  return page({ locale, url: ctx.url, title: t(locale, 'listsTitle'), body: html`${form}${errorNotice(locale, result)}${table}` });
}

interface PublicityData {
  decisions: { hasNextPage: boolean; endCursor: string | null; nodes: { subject: { code: string; name: string | null }; decisionNumber: string; title: string; content: string; basis: string | null; authority: string; decidedOn: string; publishedOn: string; onTime: boolean; dispute: { since: string; verifyBy: string } | null }[] };
}

/** The departments that publish decisions, each with its own field and the kinds it decides. */
const PUBLISHERS: Record<string, { field: string; kinds: string[] }> = {
  MARKET: { field: 'marketDoublePublicity', kinds: ['PENALTY', 'LICENCE'] },
  ENVIRONMENT: { field: 'environmentDoublePublicity', kinds: ['PENALTY'] },
};

export async function publicityPage(ctx: PageContext): Promise<string> {
  const { locale, query } = ctx;
  const department = choiceParam(query, 'department', Object.keys(PUBLISHERS), 'MARKET');
  const publisher = PUBLISHERS[department]!;
  // A kind this department does not decide is no filter error: the graph says it publishes none.
  const kind = choiceParam(query, 'kind', ['PENALTY', 'LICENCE'], 'PENALTY');
  const authority = (query.authority ?? '').trim() || null;
  const [from, to] = dateRangeParams(query);
  const result = await ctx.graph<PublicityData>(
    `query Publicity($kind: DecisionKind!, $authority: String, $from: String, $to: String, $after: String) {
      decisions: ${publisher.field}(kind: $kind, authority: $authority, from: $from, to: $to, first: 20, after: $after) {
        hasNextPage endCursor nodes { subject { code name } decisionNumber title content basis authority decidedOn publishedOn onTime dispute { since verifyBy } } } }`,
    { kind, authority, from, to, after: query.after ?? null },
  );
  const decisions = result.data?.decisions;
  const form = html`<form class="filters" method="get" action="/publicity">
    ${selectField('department', 'department', t(locale, 'department'), Object.keys(PUBLISHERS).map((d): [string, string] => [d, departmentName(d, locale)]), department)}
    ${selectField('kind', 'kind', t(locale, 'decisionKind'), [['PENALTY', t(locale, 'PENALTY')], ['LICENCE', t(locale, 'LICENCE')]], kind)}
    <div class="field"><label for="authority">${t(locale, 'authorityFilter')}</label><input id="authority" name="authority" value="${authority ?? ''}"></div>
    ${dateField('from', 'from', t(locale, 'decidedFrom'), from ?? undefined)}${dateField('to', 'to', t(locale, 'decidedTo'), to ?? undefined)}
    <button type="submit">${t(locale, 'filter')}</button>
  </form>`;
  const table = decisions
    ? decisions.nodes.length === 0
      ? notice('info', t(locale, 'noDecisions'))
      : html`<table class="results"><caption>${word(locale, kind)}</caption><thead><tr>
          <th scope="col">${t(locale, 'decisionNumber')}</th><th scope="col">${t(locale, 'subject')}</th><th scope="col">${t(locale, 'matter')}</th>
          <th scope="col">${t(locale, 'authority')}</th><th scope="col">${t(locale, 'decidedOn')}</th><th scope="col">${t(locale, 'publishedOn')}</th><th scope="col">${t(locale, 'onTime')}</th></tr></thead>
          <tbody>${decisions.nodes.map((d) => html`<tr><td>${d.decisionNumber}${d.dispute ? html` <span class="mark" title="${d.dispute.since} – ${d.dispute.verifyBy}">${t(locale, 'DISPUTED')}</span>` : ''}</td><td><a href="/subject/${d.subject.code}">${d.subject.name ?? d.subject.code}</a></td>
            <td>${d.title}<br><span class="hint">${d.content}${d.basis ? html`；${t(locale, 'basis')}：${d.basis}` : ''}</span></td>
            <td>${d.authority}</td><td>${d.decidedOn}</td><td>${d.publishedOn}</td><td>${d.onTime ? t(locale, 'yes') : html`<strong>${t(locale, 'no')}</strong>`}</td></tr>`)}</tbody></table>
          ${pager(locale, ctx.url, decisions.hasNextPage ? decisions.endCursor : null, !!query.after)}`
    : '';
  return page({ locale, url: ctx.url, title: t(locale, 'publicityTitle'), body: html`${form}${errorNotice(locale, result)}${table}` });
}

interface ReportContentData {
  sections: {
    id: string; title: string; department: string; note: string | null; entryCount: number;
    entries: { title: string; mark: 'DISPUTED' | 'CORRECTED_OR_REPAIRED' | null; authority: string | null; basis: string | null; fields: { label: string; value: string }[]; withdrawnSinceIssue: boolean | null }[];
  }[];
}

interface Verification {
  number: string;
  genuine: boolean;
  code: string | null;
  subjectKind: string | null;
  subjectName: string | null;
  issuedAt: string | null;
  issuedToRole: string | null;
  sha256: string | null;
  unaltered: boolean | null;
  content: ReportContentData | null;
}

const VERIFY = `query Verify($number: String!, $sha256: String) {
  verifyCreditReport(number: $number, sha256: $sha256) { number genuine code subjectKind subjectName issuedAt issuedToRole sha256 unaltered
    content { sections { id title department note entryCount entries { title mark authority basis fields { label value } withdrawnSinceIssue } } } } }`;

function verifyForm(locale: Locale, number: string | null): Html {
  return html`<form class="search" method="get" action="/verify">
    <label for="number">${t(locale, 'reportNumber')}</label>
    <div class="row"><input id="number" name="number" value="${number ?? ''}" required autocomplete="off"><button type="submit">${t(locale, 'verifyButton')}</button></div>
  </form>`;
}

/** What the register holds of a genuine report: its number, subject, time, recipient and digest. */
function registeredFacts(locale: Locale, v: Verification): Html {
  const labels = subjectLabels(v.code ?? '', v.subjectName, locale);
  const [open, close] = locale === 'zh' ? ['（', '）'] : [' (', ')'];
  const code = html`${open}${labels.codeLabel} <code>${v.code}</code>${close}`;
  const subject = v.subjectKind === 'NATURAL_PERSON'
    ? html`${labels.name}${code}` // masked by the graph: nothing to link to
    : html`<a href="/subject/${v.code ?? ''}">${labels.name}</a>${code}`;
  return html`<dl class="facts">
    <div><dt>${t(locale, 'reportNumber')}</dt><dd><code>${v.number}</code></dd></div>
    <div><dt>${t(locale, 'subject')}</dt><dd>${subject}</dd></div>
    <div><dt>${t(locale, 'issuedAt')}</dt><dd>${v.issuedAt ? beijingTime(v.issuedAt, locale) : ''}</dd></div>
    <div><dt>${t(locale, 'issuedTo')}</dt><dd>${roleName(v.issuedToRole ?? '', locale)}</dd></div>
    <div><dt>${t(locale, 'digest')}</dt><dd><code class="digest">${v.sha256}</code></dd></div>
  </dl>`;
}

/** Every line printed for an entry, as registered: authority, basis, status, dates, amounts. */
function recordedLines(entry: ReportContentData['sections'][number]['entries'][number]): Html {
  const lines = [...(entry.authority ? [['', entry.authority]] : []), ...entry.fields.map((f) => [f.label, f.value]), ...(entry.basis ? [['', entry.basis]] : [])];
  return lines.length ? html`<br><span class="hint">${lines.map(([label, value], i) => html`${i ? '；' : ''}${label ? `${label}：` : ''}${value}`)}</span>` : html``;
}

/** The report's sections as registered at issue, to compare a printed copy with, section by section. */
function recordedContent(locale: Locale, v: Verification): Html {
  const body = v.content
    ? html`<p class="hint">${t(locale, 'recordedContentHint')}</p>
      <table class="results content"><thead><tr><th scope="col">${t(locale, 'section')}</th><th scope="col">${t(locale, 'provider')}</th>
        <th scope="col">${t(locale, 'entryCount')}</th><th scope="col">${t(locale, 'entriesRecorded')}</th></tr></thead>
      <tbody>${v.content.sections.map((section) => html`<tr data-section="${section.id}"><th scope="row">${section.title}</th><td>${section.department}</td>
        <td class="count">${section.entryCount}</td>
        <td>${section.entries.length > 0
          ? html`<ul>${section.entries.map((entry) => html`<li>${entry.title}${entry.mark ? html` <span class="mark">${t(locale, entry.mark)}</span>` : ''}${entry.withdrawnSinceIssue ? html` <strong class="mark withdrawn">${t(locale, 'withdrawnSinceIssue')}</strong>` : ''}${recordedLines(entry)}</li>`)}</ul>`
          : (section.note ?? '')}</td></tr>`)}</tbody></table>`
    : notice('info', v.issuedToRole && v.issuedToRole !== 'PUBLIC' ? t(locale, 'contentNotPublic', { role: roleName(v.issuedToRole, locale) }) : t(locale, 'contentNotRegistered'));
  return html`<section aria-labelledby="recorded-title"><h2 id="recorded-title">${t(locale, 'recordedContent')}</h2>${body}</section>`;
}

/** A plain form post of the chosen file (multipart): the check works without JavaScript. */
function fileForm(locale: Locale, number: string): Html {
  return html`<form class="file-check stack" method="post" action="/verify/${encodeURIComponent(number)}/file" enctype="multipart/form-data" aria-labelledby="file-title">
    <h2 id="file-title">${t(locale, 'checkFile')}</h2>
    ${field('report-file', t(locale, 'fileLabel'), html`<input id="report-file" name="report" type="file" accept="application/pdf,.pdf" required aria-describedby="report-file-hint">`, t(locale, 'checkFileHint'))}
    <button type="submit">${t(locale, 'checkFileButton')}</button>
  </form>`;
}

/**
 * One verdict per page: the number alone (genuine or not), or the number and a file (genuine and
 * unaltered, or not the issued file: never a green "genuine" above a red "altered").
 */
function verdict(locale: Locale, v: Verification, fileChecked: boolean): Html {
  if (!v.genuine) return html`<div class="verdict bad" role="status" data-genuine="false">${t(locale, 'notGenuine')}</div>`;
  if (!fileChecked) return html`<div class="verdict good" role="status" data-genuine="true">${t(locale, 'genuine')}</div>`;
  return v.unaltered
    ? html`<div class="verdict good" role="status" data-genuine="true" data-unaltered="true">${t(locale, 'genuineUnaltered')}</div>`
    : html`<div class="verdict bad" role="alert" data-genuine="true" data-unaltered="false">${t(locale, 'fileMismatch')}</div>`;
}

async function verification(ctx: PageContext, number: string, sha256: string | null): Promise<{ outcome: Html; status: number }> {
  const { locale } = ctx;
  const result = await ctx.graph<{ verifyCreditReport: Verification }>(VERIFY, { number, sha256 });
  const v = result.data?.verifyCreditReport;
  if (!v) {
    const malformed = result.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT');
    return malformed
      ? { status: 200, outcome: html`<div class="verdict bad" role="status" data-genuine="false">${t(locale, 'malformed')}</div>` }
      : { status: 502, outcome: errorNotice(locale, result) ?? notice('error', t(locale, 'error')) };
  }
  if (!v.genuine) return { status: 200, outcome: verdict(locale, v, false) };
  return { status: 200, outcome: html`${verdict(locale, v, sha256 !== null)}${registeredFacts(locale, v)}${recordedContent(locale, v)}${fileForm(locale, v.number)}` };
}

export async function verifyPage(ctx: PageContext, number: string | null): Promise<string> {
  const { locale } = ctx;
  const outcome = number ? (await verification(ctx, number, null)).outcome : '';
  return page({ locale, url: ctx.url, title: t(locale, 'verifyTitle'), body: html`${verifyForm(locale, number)}${outcome}` });
}

/** A report file posted from the verification page: hashed here (never kept), compared by the graph, answered with the page. */
export async function verifyFile(ctx: PageContext, number: string, file: Buffer | null): Promise<{ status: number; body: string }> {
  const { locale } = ctx;
  const title = t(locale, 'verifyTitle');
  if (!file || file.length === 0) {
    return { status: 400, body: page({ locale, url: ctx.url, title, body: html`${verifyForm(locale, number)}${notice('error', t(locale, 'noFile'))}${fileForm(locale, number)}` }) };
  }
  const sha256 = crypto.createHash('sha256').update(file).digest('hex');
  const { outcome, status } = await verification(ctx, number, sha256);
  return { status, body: page({ locale, url: ctx.url, title, body: html`${verifyForm(locale, number)}${outcome}` }) };
}
