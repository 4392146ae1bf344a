/**
 * The public side of supervision (issue 17): reporting suspected dishonest conduct (举报, 甘州
 * 四(五); 柴桑 (十二)) and following the report by its receipt code, the credit commitments in
 * publication (信用承诺公示, 凌源 一(一)) and the published inspection results (the 一公开 of
 * 双随机、一公开, 凌源 二(二)). Like every public page, the graph as PUBLIC: persons masked, and a
 * reporter's contact details go in but never come back out.
 */
import crypto from 'node:crypto';
import { beijingTime, departmentName, valueName, type Locale } from '../../lib/credit-report';
import type { GraphResult } from '../graph';
import { html, notice, page, type Html } from '../html';
import { t } from '../i18n';
import { field, formText, selectField, type FormFields } from '../form';
import { choiceParam } from '../filters';
import { errorNotice, listedSubject, pager, writeRefusal, type PageContext } from './context';

const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT'];

const departmentOptions = (locale: Locale, all: string): [string, string][] => [['', all], ...DEPARTMENTS.map((d): [string, string] => [d, departmentName(d, locale)])];
const departmentFilter = (value: string | undefined) => (DEPARTMENTS.includes(value ?? '') ? value! : null);

// --- Reports from the public ---

interface ReportFollowUp {
  subjectCode: string;
  conduct: string;
  status: string;
  department: string | null;
  submittedAt: string;
  routedAt: string | null;
  result: string | null;
  resultNote: string | null;
  closedAt: string | null;
}

/**
 * The report form. Its idempotency key is drawn when the form is shown, so the same form sent
 * twice (a double click, a reload after a lost answer) is one report with one receipt.
 */
function reportForm(locale: Locale, form: FormFields): Html {
  const key = formText(form, 'idempotencyKey') || crypto.randomUUID();
  return html`<form class="stack" method="post" action="/conduct-reports" aria-labelledby="report-title">
    <h2 id="report-title">${t(locale, 'reportConduct')}</h2>
    ${field('report-subject', t(locale, 'reportedSubject'), html`<input id="report-subject" name="subjectCode" required maxlength="18" autocomplete="off" value="${formText(form, 'subjectCode')}">`)}
    ${field('report-conduct', t(locale, 'conductText'), html`<textarea id="report-conduct" name="conduct" required maxlength="4000" rows="5" aria-describedby="report-conduct-hint">${formText(form, 'conduct')}</textarea>`, t(locale, 'conductHint'))}
    ${selectField('report-department', 'department', t(locale, 'suggestedDepartment'), departmentOptions(locale, t(locale, 'notSure')), formText(form, 'department'))}
    <fieldset><legend>${t(locale, 'contactOptional')}</legend>
      <p class="hint">${t(locale, 'contactKeptApart')}</p>
      ${field('report-name', t(locale, 'contactName'), html`<input id="report-name" name="contactName" maxlength="100" autocomplete="name" value="${formText(form, 'contactName')}">`)}
      ${field('report-phone', t(locale, 'contactPhone'), html`<input id="report-phone" name="contactPhone" type="tel" maxlength="40" autocomplete="tel" value="${formText(form, 'contactPhone')}">`)}
      ${field('report-email', t(locale, 'contactEmail'), html`<input id="report-email" name="contactEmail" type="email" maxlength="200" autocomplete="email" value="${formText(form, 'contactEmail')}">`)}
    </fieldset>
    <input type="hidden" name="idempotencyKey" value="${key}">
    <button type="submit">${t(locale, 'submitConductReport')}</button>
  </form>`;
}

function followReportForm(locale: Locale, receiptCode = ''): Html {
  return html`<form class="stack" method="post" action="/conduct-reports/follow" aria-labelledby="follow-report-title">
    <h2 id="follow-report-title">${t(locale, 'followReport')}</h2>
    ${field('receipt-code', t(locale, 'receiptCode'), html`<input id="receipt-code" name="receiptCode" required maxlength="40" autocomplete="off" value="${receiptCode}">`)}
    <button type="submit">${t(locale, 'followButton')}</button>
  </form>`;
}

export function conductReportsPage(ctx: PageContext, shown: { form?: FormFields; refusal?: Html | null } = {}): string {
  const { locale } = ctx;
  return page({
    locale,
    url: ctx.url,
    title: t(locale, 'conductReportsTitle'),
    body: html`<p>${t(locale, 'conductReportsIntro')}</p>${shown.refusal ?? ''}
      <div class="forms">${reportForm(locale, shown.form ?? { subjectCode: ctx.query.subject })}${followReportForm(locale)}</div>`,
  });
}

/** The graph's refusal of a report in the visitor's language (a bad code, an empty text: BAD_USER_INPUT). */
const reportRefusal = (locale: Locale, result: GraphResult<unknown>): Html | null => writeRefusal(locale, t(locale, 'reportRefused'), result);

/** Submits the form's report: the receipt to keep, or the form again with the refusal. */
export async function submitConductReport(ctx: PageContext, form: FormFields): Promise<{ status: number; body: string }> {
  const { locale } = ctx;
  const contact = { name: formText(form, 'contactName') || null, phone: formText(form, 'contactPhone') || null, email: formText(form, 'contactEmail') || null };
  const idempotencyKey = formText(form, 'idempotencyKey') || crypto.randomUUID();
  const result = await ctx.graph<{ receipt: { receiptCode: string; status: string; submittedAt: string } | null }>(
    `mutation SubmitReport($input: SubmitReportInput!) { receipt: submitReport(input: $input) { receiptCode status submittedAt } }`,
    {
      input: {
        subjectCode: formText(form, 'subjectCode').toUpperCase(),
        conduct: formText(form, 'conduct'),
        department: departmentFilter(formText(form, 'department')),
        contact: contact.name || contact.phone || contact.email ? contact : null,
        idempotencyKey,
      },
    },
  );
  const receipt = result.data?.receipt;
  if (receipt && result.errors.length === 0) {
    return {
      status: 200,
      body: page({
        locale,
        url: ctx.url,
        title: t(locale, 'reportReceived'),
        body: html`${notice('ok', t(locale, 'reportReceivedNote'))}
          <dl class="facts"><div><dt>${t(locale, 'receiptCode')}</dt><dd><code class="receipt">${receipt.receiptCode}</code></dd></div>
          <div><dt>${t(locale, 'submittedAt')}</dt><dd>${beijingTime(receipt.submittedAt, locale)}</dd></div>
          <div><dt>${t(locale, 'status')}</dt><dd>${valueName(receipt.status, locale)}</dd></div></dl>
          ${followReportForm(locale, receipt.receiptCode)}`,
      }),
    };
  }
  // The same key again, so a resubmission after a lost answer is the same report; a key refused as weak is replaced by a new one.
  const weak = result.errors.some((e) => e.extensions?.reason === 'WEAK_KEY');
  return { status: result.status >= 400 ? result.status : 422, body: conductReportsPage(ctx, { form: { ...form, idempotencyKey: weak ? '' : idempotencyKey }, refusal: reportRefusal(locale, result) }) };
}

/** A report followed by its receipt code: where it stands, and nothing about who reported it. */
export async function followConductReport(ctx: PageContext, form: FormFields): Promise<{ status: number; body: string }> {
  const { locale } = ctx;
  const receiptCode = formText(form, 'receiptCode');
  const result = await ctx.graph<{ report: ReportFollowUp | null }>(
    `query ReportByReceipt($code: String!) { report: reportByReceipt(receiptCode: $code) { subjectCode conduct status department submittedAt routedAt result resultNote closedAt } }`,
    { code: receiptCode },
  );
  const report = result.data?.report;
  if (!report) {
    return {
      status: 404,
      body: page({ locale, url: ctx.url, title: t(locale, 'followReport'), body: html`${errorNotice(locale, result) ?? notice('error', t(locale, 'reportNotFound'))}${followReportForm(locale, receiptCode)}` }),
    };
  }
  const row = (name: string, value: string | Html | null) => (value ? html`<div><dt>${name}</dt><dd>${value}</dd></div>` : '');
  return {
    status: 200,
    body: page({
      locale,
      url: ctx.url,
      title: t(locale, 'followReport'),
      body: html`<dl class="facts" data-report-status="${report.status}">
        ${row(t(locale, 'reportedSubject'), html`<code>${report.subjectCode}</code>`)}
        ${row(t(locale, 'conductText'), report.conduct)}
        ${row(t(locale, 'status'), valueName(report.status, locale))}
        ${row(t(locale, 'submittedAt'), beijingTime(report.submittedAt, locale))}
        ${row(t(locale, 'department'), report.department ? departmentName(report.department, locale) : null)}
        ${row(t(locale, 'routedAt'), report.routedAt && beijingTime(report.routedAt, locale))}
        ${row(t(locale, 'reportResult'), report.result ? valueName(report.result, locale) : null)}
        ${row(t(locale, 'decisionNote'), report.resultNote)}
        ${row(t(locale, 'closedAt'), report.closedAt && beijingTime(report.closedAt, locale))}
      </dl>
      <p><a href="/conduct-reports">${t(locale, 'conductReportsTitle')}</a></p>`,
    }),
  };
}

// --- Commitments and inspection results in publication ---

export interface PublicCommitment {
  id: string;
  subjectCode: string;
  scenario: string;
  application: string | null;
  content: string;
  madeOn: string;
  deadline: string | null;
  madeTo: string;
  status: string;
  breachedOn: string | null;
  fulfilledOn: string | null;
}

export interface InspectionResult {
  id: string;
  planName: string;
  department: string;
  subjectCode: string;
  outcome: string;
  findings: string;
  inspectedOn: string;
}

export const PUBLIC_COMMITMENT_FIELDS = 'id subjectCode scenario application content madeOn deadline madeTo status breachedOn fulfilledOn';
export const INSPECTION_RESULT_FIELDS = 'id planName department subjectCode outcome findings inspectedOn';

function commitmentsTable(locale: Locale, commitments: readonly PublicCommitment[], withSubject: boolean): Html {
  return html`<table class="results"><caption>${t(locale, 'commitmentsTitle')}</caption><thead><tr>
    ${withSubject ? html`<th scope="col">${t(locale, 'code')}</th>` : ''}<th scope="col">${t(locale, 'commitmentContent')}</th><th scope="col">${t(locale, 'scenario')}</th>
    <th scope="col">${t(locale, 'madeTo')}</th><th scope="col">${t(locale, 'madeOn')}</th><th scope="col">${t(locale, 'deadline')}</th><th scope="col">${t(locale, 'status')}</th></tr></thead>
    <tbody>${commitments.map((c) => html`<tr data-commitment="${c.id}">
      ${withSubject ? html`<td>${listedSubject(locale, c.subjectCode, null)}</td>` : ''}
      <td>${c.content}${c.application ? html`<br><span class="hint">${t(locale, 'application')}：${c.application}</span>` : ''}</td>
      <td>${valueName(c.scenario, locale)}</td><td>${departmentName(c.madeTo, locale)}</td><td>${c.madeOn}</td><td>${c.deadline ?? '—'}</td>
      <td class="status" data-status="${c.status}">${valueName(c.status, locale)}${c.breachedOn ? html`（${c.breachedOn}）` : c.fulfilledOn ? html`（${c.fulfilledOn}）` : ''}</td></tr>`)}</tbody></table>`;
}

function inspectionsTable(locale: Locale, results: readonly InspectionResult[], withSubject: boolean): Html {
  return html`<table class="results"><caption>${t(locale, 'inspectionsTitle')}</caption><thead><tr>
    ${withSubject ? html`<th scope="col">${t(locale, 'code')}</th>` : ''}<th scope="col">${t(locale, 'inspectionPlan')}</th><th scope="col">${t(locale, 'department')}</th>
    <th scope="col">${t(locale, 'inspectedOn')}</th><th scope="col">${t(locale, 'inspectionOutcome')}</th><th scope="col">${t(locale, 'findings')}</th></tr></thead>
    <tbody>${results.map((r) => html`<tr data-inspection="${r.id}">
      ${withSubject ? html`<td>${listedSubject(locale, r.subjectCode, null)}</td>` : ''}
      <td>${r.planName}</td><td>${departmentName(r.department, locale)}</td><td>${r.inspectedOn}</td>
      <td data-outcome="${r.outcome}">${valueName(r.outcome, locale)}</td><td>${r.findings}</td></tr>`)}</tbody></table>`;
}

/** The subject page's sections of its commitments and inspection results (nothing when it has none). */
export function supervisionSectionsHtml(locale: Locale, commitments: readonly PublicCommitment[] | null, inspections: readonly InspectionResult[] | null): Html {
  return html`${commitments && commitments.length > 0 ? html`<section class="records" aria-labelledby="s-commitments"><h2 id="s-commitments">${t(locale, 'commitmentsTitle')}</h2>${commitmentsTable(locale, commitments, false)}</section>` : ''}
    ${inspections && inspections.length > 0 ? html`<section class="records" aria-labelledby="s-inspections"><h2 id="s-inspections">${t(locale, 'inspectionsTitle')}</h2>${inspectionsTable(locale, inspections, false)}</section>` : ''}`;
}

/** A paged public register filtered by department: the commitments or the inspection results. */
async function registerPage<T>(
  ctx: PageContext,
  options: { path: string; title: string; field: string; fields: string; table: (rows: readonly T[]) => Html; empty: string },
): Promise<string> {
  const { locale, query } = ctx;
  const department = choiceParam(query, 'department', DEPARTMENTS, null);
  const result = await ctx.graph<{ register: { nodes: T[]; hasNextPage: boolean; endCursor: string | null } }>(
    `query Register($department: Department, $after: String) { register: ${options.field}(department: $department, first: 20, after: $after) { hasNextPage endCursor nodes { ${options.fields} } } }`,
    { department, after: query.after ?? null },
  );
  const register = result.data?.register;
  const form = html`<form class="filters" method="get" action="${options.path}">
    ${selectField('department', 'department', t(locale, 'department'), departmentOptions(locale, t(locale, 'allDepartments')), department ?? '')}
    <button type="submit">${t(locale, 'filter')}</button>
  </form>`;
  const table = register
    ? register.nodes.length === 0
      ? notice('info', options.empty)
      : html`${options.table(register.nodes)}${pager(locale, ctx.url, register.hasNextPage ? register.endCursor : null, !!query.after)}`
    : '';
  return page({ locale, url: ctx.url, title: options.title, body: html`${form}${errorNotice(locale, result)}${table}` });
}

export function commitmentsPage(ctx: PageContext): Promise<string> {
  const { locale } = ctx;
  return registerPage<PublicCommitment>(ctx, {
    path: '/commitments',
    title: t(locale, 'commitmentsTitle'),
    field: 'commitmentPublicity',
    fields: PUBLIC_COMMITMENT_FIELDS,
    table: (rows) => commitmentsTable(locale, rows, true),
    empty: t(locale, 'noCommitments'),
  });
}

export function inspectionsPage(ctx: PageContext): Promise<string> {
  const { locale } = ctx;
  return registerPage<InspectionResult>(ctx, {
    path: '/inspections',
    title: t(locale, 'inspectionsTitle'),
    field: 'inspectionResults',
    fields: INSPECTION_RESULT_FIELDS,
    table: (rows) => inspectionsTable(locale, rows, true),
    empty: t(locale, 'noInspections'),
  });
}
