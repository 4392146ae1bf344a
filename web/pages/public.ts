/**
 * The public pages (甘州 二(一), 五(三); 柴桑 (十六)): search, the subject page and its credit
 * report, the lists, double publicity, report verification, and where to file objections. Every
 * read is the gateway's public API without a credential: what PUBLIC may read, masked.
 */
import crypto from 'node:crypto';
import { departmentName, label, REPAIR_NOTICE_SELECTION, REPORT_SELECTION, reportSections, valueName, type Locale, type ReportListEntry, type ReportRecords, type ReportRepairNotice, type ReportSection } from '../../lib/credit-report';
import { validateSubjectCode } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { html, href, notice, page, type Html } from '../html';
import { t, word } from '../i18n';
import { errorNotice, listedSubject, pager, type PageContext } from './context';
import { dateField, selectField } from '../form';
import { choiceParam, dateRangeParams } from '../filters';
import { INSPECTION_RESULT_FIELDS, PUBLIC_COMMITMENT_FIELDS, supervisionSectionsHtml, type InspectionResult, type PublicCommitment } from './supervision';

const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'];
const LIST_KINDS = ['BLACK', 'RED', 'KEY_ATTENTION'];

const inForce = (entry: { since: string; until: string | null }, today: string) => entry.since <= today && (!entry.until || entry.until > today);

function listBadges(locale: Locale, entries: { kind: string; since: string; until: string | null }[]): Html {
  const today = todayInChina();
  const kinds = [...new Set(entries.filter((e) => inForce(e, today)).map((e) => e.kind))];
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

/** A whole valid code goes straight to its subject page; anything else is searched. */
export async function searchPage(ctx: PageContext): Promise<{ redirect: string } | string> {
  const q = (ctx.query.q ?? '').trim();
  const { locale } = ctx;
  const code = validateSubjectCode(q);
  if (code.valid) return { redirect: `/subject/${code.code}` };
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
    | ({ code: string; kind: string; lists: ReportListEntry[]; repairNotices: ReportRepairNotice[] | null; publicCommitments: PublicCommitment[] | null; inspectionResults: InspectionResult[] | null } & ReportRecords)
    | null;
}

/** A record's id, and links that open the self-service forms for it (the subject's own objection or repair). */
function recordActions(locale: Locale, subjectCode: string, record: { department: string; recordId: string }): Html {
  const query = `subject=${encodeURIComponent(subjectCode)}&department=${encodeURIComponent(record.department)}&record=${encodeURIComponent(record.recordId)}`;
  return html`<p class="record-id">${t(locale, 'recordId')}：<code>${record.recordId}</code>
    <a href="/self-service?${query}#objection-title">${t(locale, 'disputeRecord')}</a>
    <a href="/self-service?${query}#repair-title">${t(locale, 'repairRecord')}</a></p>`;
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
      ${item.record ? recordActions(locale, subjectCode, item.record) : ''}
    </article>`)}
  </section>`)}`;
}

export async function subjectPage(ctx: PageContext, rawCode: string): Promise<string> {
  const { locale } = ctx;
  const result = await ctx.graph<SubjectData>(
    `query SubjectPage($code: ID!) { subject(code: $code) {
      code kind lists { kind reason department sourceRecord since until dispute { since verifyBy } } ${REPAIR_NOTICE_SELECTION} ${REPORT_SELECTION}
      publicCommitments { ${PUBLIC_COMMITMENT_FIELDS} } inspectionResults { ${INSPECTION_RESULT_FIELDS} } } }`,
    { code: rawCode },
  );
  const subject = result.data?.subject;
  if (!subject) {
    return page({ locale, url: ctx.url, title: t(locale, 'subjectTitle'), body: html`${errorNotice(locale, result)}${searchForm(locale, rawCode)}` });
  }
  const sections = reportSections(subject, subject.lists, locale, new Map(), subject.repairNotices ?? []);
  return page({
    locale,
    url: ctx.url,
    title: subject.name ?? subject.code,
    body: html`<p class="subject-code">${t(locale, 'code')}：<code>${subject.code}</code> ${listBadges(locale, subject.lists)}</p>
      ${errorNotice(locale, result)}
      <p><a class="button" href="/subject/${subject.code}/report.pdf">${t(locale, 'downloadReport')}</a></p>
      <p class="hint">${t(locale, 'reportNote')}</p>
      ${sectionsHtml(locale, sections, subject.code)}
      ${supervisionSectionsHtml(locale, subject.publicCommitments, subject.inspectionResults)}`,
  });
}

/** The credit report PDF, issued by the credit office for what PUBLIC may read; or a page saying why not. */
export async function reportPdf(ctx: PageContext, code: string): Promise<{ number: string; pdf: Buffer } | { page: string; status: number }> {
  const result = await ctx.graph<{ subject: { creditReport: { number: string; pdf: string } | null } | null }>(
    `query CreditReport($code: ID!) { subject(code: $code) { creditReport { number pdf } } }`,
    { code },
  );
  const report = result.data?.subject?.creditReport;
  if (report) return { number: report.number, pdf: Buffer.from(report.pdf, 'base64') };
  const { locale } = ctx;
  const missing = result.errors.flatMap((e) => (e.extensions?.code === 'DEPARTMENT_UNAVAILABLE' ? ((e.extensions.departments as string[] | undefined) ?? [e.extensions.department as string]) : []));
  const body = missing.length > 0
    ? notice('error', t(locale, 'reportUnavailable', { departments: [...new Set(missing)].filter(Boolean).map((d) => departmentName(d, locale)).join('、') }))
    : (errorNotice(locale, result) ?? notice('error', t(locale, 'error')));
  return {
    status: missing.length > 0 ? 503 : 502,
    page: page({ locale, url: ctx.url, title: t(locale, 'downloadReport'), body: html`${body}<p><a href="/subject/${code}">${t(locale, 'backToSubject')}</a></p>` }),
  };
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
            <td>${e.reason}${e.dispute ? html` <span class="mark" title="${e.dispute.since} – ${e.dispute.verifyBy}">${t(locale, 'DISPUTED')}</span>` : ''}</td><td>${departmentName(e.department, locale)}</td><td>${e.since}</td><td>${e.until ?? label('open', locale)}</td></tr>`)}</tbody></table>
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

interface VerificationData {
  verifyCreditReport: { number: string; genuine: boolean; code: string | null; subjectName: string | null; issuedAt: string | null; sha256: string | null; unaltered: boolean | null };
}

const VERIFY = `query Verify($number: String!, $sha256: String) {
  verifyCreditReport(number: $number, sha256: $sha256) { number genuine code subjectName issuedAt sha256 unaltered } }`;

export async function verifyPage(ctx: PageContext, number: string | null): Promise<string> {
  const { locale } = ctx;
  const form = html`<form class="search" method="get" action="/verify">
    <label for="number">${t(locale, 'reportNumber')}</label>
    <div class="row"><input id="number" name="number" value="${number ?? ''}" required autocomplete="off"><button type="submit">${t(locale, 'verifyButton')}</button></div>
  </form>`;
  if (!number) return page({ locale, url: ctx.url, title: t(locale, 'verifyTitle'), body: form });
  const result = await ctx.graph<VerificationData>(VERIFY, { number, sha256: null });
  const verification = result.data?.verifyCreditReport;
  let outcome: Html;
  if (!verification) {
    const malformed = result.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT');
    outcome = malformed ? html`<div class="verdict bad" role="status" data-genuine="false">${t(locale, 'malformed')}</div>` : (errorNotice(locale, result) ?? html``);
  } else if (!verification.genuine) {
    outcome = html`<div class="verdict bad" role="status" data-genuine="false">${t(locale, 'notGenuine')}</div>`;
  } else {
    outcome = html`<div class="verdict good" role="status" data-genuine="true">${t(locale, 'genuine')}</div>
      <dl class="facts">
        <div><dt>${t(locale, 'reportNumber')}</dt><dd><code>${verification.number}</code></dd></div>
        <div><dt>${t(locale, 'subject')}</dt><dd>${verification.code?.includes('*')
          ? html`<code>${verification.code}</code>` // a natural person, masked by the graph: nothing to link to
          : html`<a href="/subject/${verification.code ?? ''}">${verification.subjectName ?? verification.code}</a>（<code>${verification.code}</code>）`}</dd></div>
        <div><dt>${t(locale, 'issuedAt')}</dt><dd>${verification.issuedAt}</dd></div>
        <div><dt>${t(locale, 'digest')}</dt><dd><code class="digest">${verification.sha256}</code></dd></div>
      </dl>
      <form class="file-check" data-number="${verification.number}" data-unaltered="${t(locale, 'unaltered')}" data-altered="${t(locale, 'altered')}">
        <h2>${t(locale, 'checkFile')}</h2>
        <label for="report-file">${t(locale, 'fileLabel')}</label>
        <input id="report-file" type="file" accept="application/pdf,.pdf">
        <p class="file-result" role="status" aria-live="polite"></p>
      </form>`;
  }
  return page({ locale, url: ctx.url, title: t(locale, 'verifyTitle'), body: html`${form}${outcome}` });
}

/** A file posted to /verify/<number>/file: hashed here, compared by the graph. */
export async function verifyFile(ctx: PageContext, number: string, file: Buffer): Promise<{ unaltered: boolean | null; genuine: boolean }> {
  const sha256 = crypto.createHash('sha256').update(file).digest('hex');
  const result = await ctx.graph<VerificationData>(VERIFY, { number, sha256 });
  const verification = result.data?.verifyCreditReport;
  return { genuine: verification?.genuine ?? false, unaltered: verification?.unaltered ?? null };
}
