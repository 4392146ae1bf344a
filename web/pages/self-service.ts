/**
 * Self-service for the subject (一网通办; 柴桑 (二十), (二十一)): an objection to a published record
 * or a credit-repair application, filed on the website with the one-time filing code the credit
 * office issued to the subject after verifying who it is, and followed by its id with the same
 * code. The website holds no credential of its own: the graph's `fileOwnObjection`,
 * `applyForOwnRepair` and `filing` take the code, so a visitor can only reach its own filings.
 */
import crypto from 'node:crypto';
import { beijingTime, departmentName, valueName, type Locale } from '../../lib/credit-report';
import type { GraphResult } from '../graph';
import { html, notice, page, type Html } from '../html';
import { t, word } from '../i18n';
import { writeRefusal, type PageContext } from './context';
import { field, formText, formValues, type FormFields } from '../form';

// The credit office too: a breached commitment is its record (credit_commitment/<id>), repaired like a penalty.
const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'];
const RECTIFICATION_STEPS = ['COMMITMENT', 'RECTIFICATION', 'TRAINING', 'REPORT', 'PUBLIC_SERVICE'];

export type FilingKind = 'objection' | 'repair';

interface Filing {
  id: string;
  kind: 'OBJECTION' | 'REPAIR';
  subjectCode: string;
  department: string;
  recordId: string;
  status: string;
  filedAt: string;
  verifyBy: string | null;
  eligibleFrom: string | null;
  decidedAt: string | null;
  note: string | null;
}

const FILING_FIELDS = 'id kind subjectCode department recordId status filedAt verifyBy eligibleFrom decidedAt note';


function departmentSelect(locale: Locale, id: string, selected: string): Html {
  return html`<select id="${id}" name="department" required>
    ${DEPARTMENTS.map((d) => html`<option value="${d}"${d === selected ? html` selected` : ''}>${departmentName(d, locale)}</option>`)}
  </select>`;
}

/**
 * A form for one filing. Its idempotency key is drawn when the form is shown, so submitting the
 * same form twice (a double click, a reload after a lost answer) answers the same filing.
 */
function filingForm(locale: Locale, kind: FilingKind, form: FormFields): Html {
  const p = kind; // ids unique on the page
  const key = formText(form, 'idempotencyKey') || crypto.randomUUID();
  const common = html`
    ${field(`${p}-code`, t(locale, 'filingCode'), html`<input id="${p}-code" name="filingCode" required autocomplete="off" value="${formText(form, 'filingCode')}" aria-describedby="${p}-code-hint">`, t(locale, 'filingCodeHint'))}
    ${field(`${p}-subject`, t(locale, 'code'), html`<input id="${p}-subject" name="subjectCode" required maxlength="18" value="${formText(form, 'subjectCode')}">`)}
    ${field(`${p}-department`, t(locale, 'department'), departmentSelect(locale, `${p}-department`, formText(form, 'department')))}
    ${field(`${p}-record`, t(locale, 'recordId'), html`<input id="${p}-record" name="recordId" required value="${formText(form, 'recordId')}" aria-describedby="${p}-record-hint">`, t(locale, 'recordIdHint'))}
    <input type="hidden" name="idempotencyKey" value="${key}">`;
  if (kind === 'objection') {
    return html`<form class="stack" method="post" action="/self-service/objection" aria-labelledby="objection-title">
      <h2 id="objection-title">${t(locale, 'fileObjection')}</h2>
      ${common}
      ${field('objection-reason', t(locale, 'objectionReason'), html`<textarea id="objection-reason" name="reason" required maxlength="2000" rows="4">${formText(form, 'reason')}</textarea>`)}
      ${field('objection-contact', t(locale, 'contactOptional'), html`<input id="objection-contact" name="contact" maxlength="200" value="${formText(form, 'contact')}">`)}
      <button type="submit">${t(locale, 'submitObjection')}</button>
    </form>`;
  }
  const chosen = new Set(formValues(form, 'rectification'));
  return html`<form class="stack" method="post" action="/self-service/repair" aria-labelledby="repair-title">
    <h2 id="repair-title">${t(locale, 'applyForRepair')}</h2>
    ${common}
    <fieldset><legend>${t(locale, 'rectificationDone')}</legend>
      ${RECTIFICATION_STEPS.map((step) => html`<label class="check"><input type="checkbox" name="rectification" value="${step}"${chosen.has(step) ? html` checked` : ''}> ${valueName(step, locale)}</label>`)}
    </fieldset>
    <button type="submit">${t(locale, 'submitRepair')}</button>
  </form>`;
}

function followForm(locale: Locale, id = ''): Html {
  return html`<form class="stack" method="post" action="/self-service/follow" aria-labelledby="follow-title">
    <h2 id="follow-title">${t(locale, 'followFiling')}</h2>
    ${field('follow-id', t(locale, 'filingId'), html`<input id="follow-id" name="id" required value="${id}" autocomplete="off">`)}
    ${field('follow-code', t(locale, 'filingCode'), html`<input id="follow-code" name="filingCode" required autocomplete="off">`)}
    <button type="submit">${t(locale, 'followButton')}</button>
  </form>`;
}

const INTRO = {
  zh: html`<p>信用主体认为公示的信用信息有误，可以提出异议；信息提供单位应在 20 日内核查，核查期间该记录标注“异议处理中”，相关惩戒措施暂停，信息有误的予以更正或撤销。</p>
    <p>主体纠正失信行为后，可以申请信用修复（作出信用承诺、完成整改、参加信用培训、提交信用报告或参加公益服务）。修复完成后停止公示并发布修复公示，联合惩戒措施终止。</p>
    <p>网上提交须使用<strong>申请码</strong>：请携带营业执照和身份证件到信用办窗口核验身份，信用办向主体登记的联系方式发放一次性申请码（7 日内有效，用于一次申请）。提交后凭申请编号和申请码查询办理进度。</p>`,
  en: html`<p>A subject that believes a published record is wrong may file an objection: the providing department verifies it within 20 days, the record is marked disputed and the punishments it triggers are suspended meanwhile, and wrong information is corrected or revoked.</p>
    <p>After correcting its conduct (a credit commitment, rectification, training, a credit report or public-interest service), a subject may apply for credit repair; once approved, publication stops, a repair notice is published and the joint measures end.</p>
    <p>Filing online needs a <strong>filing code</strong>: prove who you are at the credit office's counter (business licence and identity document) and the office sends a one-time code to the subject's registered contact (valid 7 days, for one filing). Follow your filing by its id and that code.</p>`,
} as const;

export function selfServicePage(ctx: PageContext, shown: { kind?: FilingKind; /** What the visitor typed, to fill the form again after a refusal. */ form?: FormFields; refusal?: Html | null } = {}): string {
  const { locale } = ctx;
  const formOf = (kind: FilingKind) => filingForm(locale, kind, shown.kind === kind ? (shown.form ?? {}) : prefill(ctx));
  return page({
    locale,
    url: ctx.url,
    title: t(locale, 'selfServiceTitle'),
    body: html`${INTRO[locale]}${shown.refusal ?? ''}
      <div class="forms">${formOf('objection')}${formOf('repair')}</div>
      ${followForm(locale)}`,
  });
}

/** A link from a record on the subject page opens the forms with the record filled in. */
function prefill(ctx: PageContext): FormFields {
  return { subjectCode: ctx.query.subject, department: ctx.query.department, recordId: ctx.query.record };
}

/** The graph's refusal in the visitor's language (a wrong filing code is FORBIDDEN: a refused write, not "not for you"). */
const refusalOf = (locale: Locale, result: GraphResult<unknown>): Html | null => writeRefusal(locale, t(locale, 'filingRefused'), result);

function filingPage(ctx: PageContext, filing: Filing, justFiled: boolean): string {
  const { locale } = ctx;
  const row = (name: string, value: string | null) => (value ? html`<div><dt>${name}</dt><dd>${value}</dd></div>` : '');
  return page({
    locale,
    url: ctx.url,
    title: t(locale, 'filingTitle'),
    body: html`${justFiled ? notice('info', t(locale, 'filingReceived', { id: filing.id })) : ''}
      <dl class="facts" data-filing="${filing.id}">
        ${row(t(locale, 'filingId'), filing.id)}
        ${row(t(locale, 'filingKind'), t(locale, filing.kind === 'OBJECTION' ? 'fileObjection' : 'applyForRepair'))}
        ${row(t(locale, 'code'), filing.subjectCode)}
        ${row(t(locale, 'department'), departmentName(filing.department, locale))}
        ${row(t(locale, 'recordId'), filing.recordId)}
        <div><dt>${t(locale, 'filingStatus')}</dt><dd class="status" data-status="${filing.status}">${word(locale, `filing${filing.status}`)}</dd></div>
        ${row(t(locale, 'filedAt'), beijingTime(filing.filedAt, locale))}
        ${row(t(locale, 'verifyBy'), filing.verifyBy)}
        ${row(t(locale, 'eligibleFrom'), filing.eligibleFrom)}
        ${row(t(locale, 'decidedAt'), filing.decidedAt && beijingTime(filing.decidedAt, locale))}
        ${row(t(locale, 'decisionNote'), filing.note)}
      </dl>
      <p><a href="/self-service">${t(locale, 'selfServiceTitle')}</a></p>`,
  });
}

/** Files the form's objection or repair application; the filing's page, or the form again with the refusal. */
export async function submitFiling(ctx: PageContext, kind: FilingKind, form: FormFields): Promise<{ status: number; body: string }> {
  const { locale } = ctx;
  const common = {
    filingCode: formText(form, 'filingCode'),
    subjectCode: formText(form, 'subjectCode').toUpperCase(),
    department: formText(form, 'department'),
    recordId: formText(form, 'recordId'),
    idempotencyKey: formText(form, 'idempotencyKey') || crypto.randomUUID(),
  };
  const result =
    kind === 'objection'
      ? await ctx.graph<{ filed: Filing }>(
          `mutation FileOwnObjection($input: FileOwnObjectionInput!) { filed: fileOwnObjection(input: $input) { ${FILING_FIELDS} } }`,
          { input: { ...common, reason: formText(form, 'reason'), contact: formText(form, 'contact') || null } },
        )
      : await ctx.graph<{ filed: Filing }>(
          `mutation ApplyForOwnRepair($input: ApplyForOwnRepairInput!) { filed: applyForOwnRepair(input: $input) { ${FILING_FIELDS} } }`,
          { input: { ...common, rectification: formValues(form, 'rectification').filter((step) => RECTIFICATION_STEPS.includes(step)) } },
        );
  const filed = result.data?.filed;
  if (filed && result.errors.length === 0) return { status: 200, body: filingPage(ctx, filed, true) };
  return { status: result.status >= 400 ? result.status : 422, body: selfServicePage(ctx, { kind, form: { ...form, idempotencyKey: common.idempotencyKey }, refusal: refusalOf(locale, result) }) };
}

/** A filing followed by its id and code; a wrong pair says only that nothing was found. */
export async function followFiling(ctx: PageContext, form: FormFields): Promise<{ status: number; body: string }> {
  const { locale } = ctx;
  const id = formText(form, 'id');
  const result = await ctx.graph<{ filing: Filing | null }>(`query Filing($id: ID!, $code: String!) { filing(id: $id, filingCode: $code) { ${FILING_FIELDS} } }`, {
    id,
    code: formText(form, 'filingCode'),
  });
  const filing = result.data?.filing;
  if (filing) return { status: 200, body: filingPage(ctx, filing, false) };
  const body = page({
    locale,
    url: ctx.url,
    title: t(locale, 'followFiling'),
    body: html`${refusalOf(locale, result) ?? notice('error', t(locale, 'filingNotFound'))}${followForm(locale, id)}`,
  });
  return { status: 404, body };
}
