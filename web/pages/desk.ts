/**
 * The credit office's and the departments' desk: the steps of the workflows a clerk takes in the
 * browser, each one mutation of the graph under the clerk's own key (so the gateway's
 * authorisation decides, and its audit log records, exactly as for any client):
 * - the counter issues a subject its one-time filing code (self-service, 柴桑 (二十), (二十一));
 * - the department verifies an objection (20 days) and decides a repair application;
 * - an implementing department sees the joint cases pushed to it, overdue first (甘州 二(二)).
 */
import { departmentName, valueName, type Locale } from '../../lib/credit-report';
import { html, notice, type Html } from '../html';
import { t } from '../i18n';
import type { GraphResult } from '../graph';
import { field, formText, type FormFields } from '../form';
import { consolePage, sectionError, type ConsoleContext } from './console';
import { writeRefusal } from './context';
import { statusName } from '../refusals';

/** A refused step, with the graph's reason (a mutation refused is not a page one may not read). */
const refusal = (locale: Locale, result: GraphResult<unknown>): Html => writeRefusal(locale, t(locale, 'refused'), result) ?? notice('error', t(locale, 'refused'));

function options(pairs: [string, string][], selected = ''): Html {
  return html`${pairs.map(([v, text]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${text}</option>`)}`;
}

interface JointCaseRow {
  id: string;
  subjectCode: string;
  initiatingDepartment: string;
  trigger: string;
  recordId: string;
  createdAt: string;
  overdue: boolean;
  assignments: { department: string; measureCodes: string[]; deadline: string; status: string; overdue: boolean; fedBackMeasureCodes: string[] }[];
}

async function inbox(ctx: ConsoleContext): Promise<Html> {
  const { locale } = ctx;
  const result = await ctx.graph<{ jointCases: { nodes: JointCaseRow[] } }>(
    `query Inbox { jointCases(assignedTo: MY_DEPARTMENT, first: 50) { nodes { id subjectCode initiatingDepartment trigger recordId createdAt overdue
      assignments { department measureCodes deadline status overdue fedBackMeasureCodes } } } }`,
    {},
    ctx.credential,
  );
  const cases = result.data?.jointCases.nodes;
  if (!cases) return sectionError(locale, result) ?? html``;
  if (cases.length === 0) return html`<p class="empty">${t(locale, 'noObjections')}</p>`;
  const ordered = [...cases].sort((a, b) => Number(b.overdue) - Number(a.overdue));
  return html`<table class="results inbox"><caption>${t(locale, 'inboxTitle')}</caption><thead><tr>
      <th scope="col">${t(locale, 'jointCaseId')}</th><th scope="col">${t(locale, 'fieldSubjectCode')}</th><th scope="col">${t(locale, 'fieldInitiatingDepartment')}</th>
      <th scope="col">${t(locale, 'measures')}</th><th scope="col">${t(locale, 'verifyBy')}</th><th scope="col">${t(locale, 'status')}</th></tr></thead>
    <tbody>${ordered.map((c) => html`<tr${c.overdue ? html` class="overdue"` : ''}>
      <td><a href="/console/lookup?jointCase=${c.id}">${c.id}</a></td><td><code>${c.subjectCode}</code></td>
      <td>${departmentName(c.initiatingDepartment, locale)}<br><span class="hint">${valueName(c.trigger, locale)} · ${c.recordId}</span></td>
      <td>${c.assignments.map((a) => html`${departmentName(a.department, locale)}：${a.measureCodes.join('、')}<br>`)}</td>
      <td>${c.assignments.map((a) => html`${a.deadline}${a.overdue ? html` <strong>${t(locale, 'overdue')}</strong>` : ''}<br>`)}</td>
      <td>${c.assignments.map((a) => html`${valueName(a.status, locale)}（${a.fedBackMeasureCodes.length}/${a.measureCodes.length}）<br>`)}</td></tr>`)}</tbody></table>`;
}

export async function deskPage(ctx: ConsoleContext, outcome: Html | null = null): Promise<string> {
  const { locale } = ctx;
  return consolePage(ctx, t(locale, 'deskTitle'), html`${outcome ?? ''}
    <div class="forms">
      <form class="stack" method="post" action="/console/desk/filing-code" aria-labelledby="code-title">
        <h2 id="code-title">${t(locale, 'issueFilingCode')}</h2>
        <p class="hint">${t(locale, 'issueFilingCodeHint')}</p>
        ${field('code-subject', t(locale, 'code'), html`<input id="code-subject" name="subjectCode" required maxlength="18">`)}
        ${field('code-purpose', t(locale, 'filingKind'), html`<select id="code-purpose" name="purpose">${options([['OBJECTION', t(locale, 'fileObjection')], ['REPAIR', t(locale, 'applyForRepair')]])}</select>`)}
        ${field('code-contact', t(locale, 'contact'), html`<input id="code-contact" name="contact" required maxlength="200">`)}
        <button type="submit">${t(locale, 'issue')}</button>
      </form>
      <form class="stack" method="post" action="/console/desk/objection" aria-labelledby="verify-title">
        <h2 id="verify-title">${t(locale, 'verifyObjection')}</h2>
        ${field('verify-id', t(locale, 'objectionNumber'), html`<input id="verify-id" name="id" required value="${ctx.query.objection ?? ''}">`)}
        ${field('verify-outcome', t(locale, 'outcome'), html`<select id="verify-outcome" name="outcome">${options([['REJECTED', t(locale, 'outcomeREJECTED')], ['UPHELD_CORRECTED', t(locale, 'outcomeCORRECTED')], ['UPHELD_REVOKED', t(locale, 'outcomeREVOKED')]])}</select>`)}
        ${field('verify-note', t(locale, 'decisionNote'), html`<textarea id="verify-note" name="note" required rows="3" maxlength="2000"></textarea>`)}
        <button type="submit">${t(locale, 'decide')}</button>
      </form>
      <form class="stack" method="post" action="/console/desk/repair" aria-labelledby="repair-title">
        <h2 id="repair-title">${t(locale, 'decideRepair')}</h2>
        ${field('repair-id', t(locale, 'repairId'), html`<input id="repair-id" name="id" required value="${ctx.query.repair ?? ''}">`)}
        ${field('repair-approve', t(locale, 'outcome'), html`<select id="repair-approve" name="approve">${options([['true', t(locale, 'filingAPPROVED')], ['false', t(locale, 'filingREJECTED')]])}</select>`)}
        ${field('repair-note', t(locale, 'decisionNote'), html`<textarea id="repair-note" name="note" required rows="3" maxlength="2000"></textarea>`)}
        <button type="submit">${t(locale, 'decide')}</button>
      </form>
    </div>
    <h2>${t(locale, 'inboxTitle')}</h2>
    ${await inbox(ctx)}`);
}

/** One step of the desk: the graph's answer as a notice above the forms. */
export async function deskAction(ctx: ConsoleContext, action: 'filing-code' | 'objection' | 'repair', form: FormFields): Promise<Html> {
  const { locale } = ctx;
  if (action === 'filing-code') {
    const result = await ctx.graph<{ issued: { code: string; subjectCode: string; expiresOn: string } | null }>(
      `mutation IssueFilingCode($input: IssueFilingCodeInput!) { issued: issueFilingCode(input: $input) { code subjectCode expiresOn } }`,
      { input: { subjectCode: formText(form, 'subjectCode'), purpose: formText(form, 'purpose') === 'REPAIR' ? 'REPAIR' : 'OBJECTION', contact: formText(form, 'contact') } },
      ctx.credential,
    );
    const issued = result.data?.issued;
    return issued
      ? notice('info', html`${t(locale, 'filingCodeIssued', { subject: issued.subjectCode, until: issued.expiresOn })} <strong class="filing-code">${issued.code}</strong>`)
      : refusal(locale, result);
  }
  if (action === 'objection') {
    const outcome = formText(form, 'outcome');
    const result = await ctx.graph<{ verified: { id: string; status: string; correction: string | null } | null }>(
      `mutation VerifyObjection($id: ID!, $outcome: ObjectionOutcome!, $note: String!, $correction: RecordCorrection) {
        verified: verifyObjection(id: $id, outcome: $outcome, note: $note, correction: $correction) { id status correction } }`,
      {
        id: formText(form, 'id'),
        outcome: outcome.startsWith('UPHELD') ? 'UPHELD' : 'REJECTED',
        correction: outcome === 'UPHELD_REVOKED' ? 'REVOKED' : outcome === 'UPHELD_CORRECTED' ? 'CORRECTED' : null,
        note: formText(form, 'note'),
      },
      ctx.credential,
    );
    const verified = result.data?.verified;
    // An upheld objection says whether the record was revoked (撤销) or corrected (更正), not "one or the other".
    const status = (v: { status: string; correction: string | null }) => (v.correction ? t(locale, v.correction === 'REVOKED' ? 'outcomeREVOKED' : 'outcomeCORRECTED') : statusName(v.status, locale));
    return verified ? notice('info', t(locale, 'decided', { id: verified.id, status: status(verified) })) : refusal(locale, result);
  }
  const result = await ctx.graph<{ decided: { id: string; status: string } | null }>(
    `mutation DecideRepair($id: ID!, $approve: Boolean!, $note: String!) { decided: decideRepair(id: $id, approve: $approve, note: $note) { id status } }`,
    { id: formText(form, 'id'), approve: formText(form, 'approve') === 'true', note: formText(form, 'note') },
    ctx.credential,
  );
  const decided = result.data?.decided;
  return decided ? notice('info', t(locale, 'decided', { id: decided.id, status: statusName(decided.status, locale) })) : refusal(locale, result);
}
