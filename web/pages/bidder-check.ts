/**
 * The bidder check (as on Credit China): a trading-platform clerk pastes or uploads a list of
 * bidders by code or name and gets every bidder's verdict with its measures from one
 * `creditChecks` call, as a table and as CSV and XLSX downloads. Every line of the input comes
 * back, in order, with its line number: a bidder checked, a duplicate (and which line it
 * repeats), a line not checked (and why), a header row skipped.
 */
import { beijingTime, departmentName, valueName, type Locale } from '../../lib/credit-report';
import { validateSubjectCode } from '../../lib/identifiers';
import { parseBidders, type BidderEntry } from '../bidders';
import { html, notice, type Html } from '../html';
import { t, word } from '../i18n';
import { invalidCodeText } from '../refusals';
import type { Sheet } from '../spreadsheet';
import { errorNotice } from './context';
import { consolePage, sectionError, type ConsoleContext } from './console';

/** Bidders one check takes: what one creditChecks call takes. */
export const MAX_BIDDERS = 1000;
/** Longest line read: a sequence number, a long name and a code fit many times over; a longer one is no bidder's row. */
export const MAX_LINE_CHARS = 200;
/** Most of a refused line a message repeats. */
const EXCERPT_CHARS = 20;
/** Longest input the page writes back into the box: anything longer was refused and is not echoed (it would be megabytes). */
export const MAX_ECHO_CHARS = (MAX_BIDDERS + 1) * (MAX_LINE_CHARS + 2);
/** Names resolved per request: each is one aliased searchSubjects, within the gateway's alias limit. */
const NAMES_PER_REQUEST = 25;
export const MAX_NAMES = 100;

const SCENARIOS = ['PUBLIC_RESOURCE_TRADING', 'ADMINISTRATIVE_LICENSING', 'FINANCIAL_SERVICES', 'FISCAL_SUPPORT', 'HONORS_AND_AWARDS', 'REGULATORY_INSPECTION'];

export interface CheckInput {
  codes: string;
  scenario: string;
  purpose: string;
}

/** One line of the result: its cells as the downloads have them (in the order of `header`), and how the page marks its verdict. */
interface ResultRow {
  cells: string[];
  verdictClass: string;
  /** The measures as the page lists them: each with what triggered it, its basis folded away. */
  measures: Check['measures'];
}

export interface CheckResult {
  sheet: Sheet;
  rows: ResultRow[];
  /** How many distinct subjects were checked. */
  checked: number;
  /** What was skipped and not reported on a row of its own (sequence-number cells). */
  notes: string[];
}

export interface CheckOutcome {
  result: CheckResult | null;
  message: Html | null;
}

/** The columns of a result, in the downloads' order; the page shows some of them. */
const COLUMNS = ['lineNo', 'sequence', 'given', 'code', 'name', 'verdict', 'measures', 'missing', 'checkedAt', 'checkId', 'note'] as const;
type Column = (typeof COLUMNS)[number];
const column = (name: Column) => COLUMNS.indexOf(name);

interface Check {
  checkId: string;
  code: string;
  verdict: string;
  registered: boolean | null;
  missingSources: string[];
  checkedAt: string;
  measures: { code: string; name: string; effect: string; appliesTo: string; initiatingDepartment: string; trigger: string; basis: string; until: string | null; suspended: boolean }[];
}

/** Two spellings of one name: full- and half-width forms (（） and ()) and spaces do not make another subject. */
const sameName = (a: string, b: string) => a.normalize('NFKC').replace(/\s+/g, '') === b.normalize('NFKC').replace(/\s+/g, '');

/** Each entry's subject code, or why it has none. */
type Resolution = { code: string } | { problem: string };

/**
 * Registered names to codes: a name counts only when exactly one registered subject has exactly
 * that name (score 3); anything else is reported, never guessed.
 */
async function resolveNames(ctx: ConsoleContext, names: string[]): Promise<Map<string, Resolution>> {
  const { locale } = ctx;
  const resolved = new Map<string, Resolution>();
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
      const exact = (result.data?.[`n${i}`]?.nodes ?? []).filter((node) => node.score === 3 && node.subject.name !== null && sameName(node.subject.name, name));
      resolved.set(name, exact.length === 1 ? { code: exact[0]!.subject.code } : { problem: t(locale, exact.length === 0 ? 'nameNotFound' : 'nameAmbiguous') });
    });
  }
  return resolved;
}

/** An entry's code, or why it has none: an invalid code, a name not (or not uniquely) registered, a line with no bidder. */
function resolution(locale: Locale, entry: BidderEntry, names: Map<string, Resolution>): Resolution {
  switch (entry.kind) {
    case 'header':
      return { problem: t(locale, 'headerSkipped') };
    case 'empty':
      return { problem: t(locale, 'emptyRow') };
    case 'name':
      return names.get(entry.name) ?? { problem: t(locale, 'nameNotFound') };
    case 'code': {
      const validation = validateSubjectCode(entry.code);
      if (validation.valid) return { code: validation.code };
      return { problem: locale === 'zh' ? invalidCodeText(entry.code, validation) : validation.message };
    }
  }
}

type Measure = Check['measures'][number];

/** A measure's name with whom it applies to and what triggered it (禁止参与招标投标（人民法院·失信被执行人）). */
const measureHeading = (locale: Locale, m: Measure) =>
  `${m.name}${m.appliesTo === 'LEGAL_REPRESENTATIVE' ? t(locale, 'toLegalRep') : ''}（${departmentName(m.initiatingDepartment, locale)}·${valueName(m.trigger, locale)}）${m.suspended ? t(locale, 'suspended') : ''}`;
const measureBasis = (m: Measure) => `${m.basis}${m.until ? `；${m.until}` : ''}`;

/** The measures as the downloads write them: one a line, the basis in full. */
function measuresText(locale: Locale, check: Check): string {
  return check.measures.map((m) => `${measureHeading(locale, m)}：${measureBasis(m)}`).join('\n');
}

/** The subject's name as the check row shows it: a code no department knows says so, never a blank that passes for a clean bidder. */
function nameText(locale: Locale, check: Check, registeredName: string | null): string {
  if (check.registered === false) return t(locale, 'notRegistered');
  if (check.registered === null) return `${registeredName ?? ''}${t(locale, 'registrationUnknown')}`;
  return registeredName ?? '';
}

/** A code nobody registered says 未登记 alone: 无限制 beside it reads as a clean bidder. */
function verdictText(locale: Locale, check: Check): string {
  if (check.registered !== false) return word(locale, check.verdict);
  return check.verdict === 'CLEAR' ? t(locale, 'unregistered') : t(locale, 'unregisteredVerdict', { verdict: word(locale, check.verdict) });
}

/** Rows that carry no verdict: not checked, or a name and code that disagree. */
const WITHOUT_VERDICT = new Set(['verdict-unchecked', 'verdict-review']);

/** One row per entry, in the input's order; a bidder met again says which line it repeats. */
function resultRows(locale: Locale, entries: BidderEntry[], sequences: Map<number, string>, resolved: Resolution[], checks: Map<string, Check>, names: Map<string, string | null>): ResultRow[] {
  const firstLine = new Map<string, number>();
  return entries.map((entry, i) => {
    const found = resolved[i]!;
    const cells = COLUMNS.map(() => '');
    cells[column('lineNo')] = String(entry.line);
    cells[column('sequence')] = sequences.get(entry.line) ?? '';
    cells[column('given')] = entry.kind === 'name' ? entry.name : entry.kind === 'code' ? entry.code : entry.input;
    const check = 'code' in found ? checks.get(found.code) : undefined;
    if (!('code' in found) || !check) {
      cells[column('verdict')] = t(locale, 'notChecked');
      cells[column('note')] = 'problem' in found ? found.problem : '';
      return { cells, verdictClass: 'verdict-unchecked', measures: [] };
    }
    const registeredName = names.get(found.code) ?? null;
    cells[column('code')] = found.code;
    cells[column('name')] = nameText(locale, check, registeredName);
    // A name beside the code that is another subject's: which of the two bidders was meant is unknown, so neither verdict is given.
    if (entry.kind === 'code' && entry.givenName && registeredName && !sameName(entry.givenName, registeredName)) {
      cells[column('verdict')] = t(locale, 'toVerify');
      cells[column('note')] = t(locale, 'givenNameDiffers', { given: entry.givenName, registered: registeredName });
      return { cells, verdictClass: 'verdict-review', measures: [] };
    }
    const notes: string[] = [];
    const earlier = firstLine.get(found.code);
    if (earlier !== undefined) notes.push(t(locale, 'duplicateOf', { line: earlier }));
    else firstLine.set(found.code, entry.line);
    cells[column('verdict')] = verdictText(locale, check);
    cells[column('measures')] = measuresText(locale, check);
    cells[column('missing')] = check.missingSources.map((d) => departmentName(d, locale)).join('、');
    cells[column('checkedAt')] = beijingTime(check.checkedAt, locale);
    cells[column('checkId')] = check.checkId;
    cells[column('note')] = notes.join('；');
    return { cells, verdictClass: check.registered === false ? 'verdict-unregistered' : `verdict-${check.verdict.toLowerCase()}`, measures: check.measures };
  });
}

/** A short excerpt of a line, to say which one without repeating it. */
const excerpt = (line: string) => (Array.from(line).length > EXCERPT_CHARS ? `${Array.from(line).slice(0, EXCERPT_CHARS).join('')}…` : line);

/** Why the input is too big to read (a line too long, too many bidders), or null. */
function sizeProblem(locale: Locale, text: string, entries: () => BidderEntry[]): string | null {
  if (text.length > MAX_ECHO_CHARS) return t(locale, 'inputTooLong', { n: MAX_BIDDERS, chars: MAX_LINE_CHARS });
  const lines = text.split(/\r\n|\r|\n/);
  const long = lines.findIndex((line) => Array.from(line.trim()).length > MAX_LINE_CHARS);
  if (long >= 0) return t(locale, 'lineTooLong', { line: long + 1, chars: MAX_LINE_CHARS, excerpt: excerpt(lines[long]!.trim()) });
  if (entries().filter((entry) => entry.kind !== 'header').length > MAX_BIDDERS) return t(locale, 'tooManyLines', { n: MAX_BIDDERS });
  return null;
}

/** Checks the input's bidders: one creditChecks call for the distinct valid codes, every line accounted for in the result. */
export async function runBidderCheck(ctx: ConsoleContext, input: CheckInput): Promise<CheckOutcome> {
  const { locale } = ctx;
  let parsed: ReturnType<typeof parseBidders> | null = null;
  const read = () => (parsed ??= parseBidders(input.codes));
  const tooBig = sizeProblem(locale, input.codes, () => read().entries);
  if (tooBig) return { result: null, message: notice('error', tooBig) };
  const { entries, skippedNumbers, sequences } = read();
  if (!entries.some((entry) => entry.kind === 'code' || entry.kind === 'name')) return { result: null, message: notice('error', t(locale, 'noBidders')) };
  const names = [...new Set(entries.flatMap((entry) => (entry.kind === 'name' ? [entry.name] : [])))];
  if (names.length > MAX_NAMES) return { result: null, message: notice('error', t(locale, 'tooManyNames', { n: MAX_NAMES })) };
  const byName = names.length > 0 ? await resolveNames(ctx, names) : new Map<string, Resolution>();
  const resolved = entries.map((entry) => resolution(locale, entry, byName));
  const codes = [...new Set(resolved.flatMap((r) => ('code' in r ? [r.code] : [])))];
  if (codes.length > MAX_BIDDERS) return { result: null, message: notice('error', t(locale, 'tooManyCodes')) };
  const checks = new Map<string, Check>();
  const registeredNames = new Map<string, string | null>();
  let message: Html | null = null;
  if (codes.length > 0) {
    const scenario = SCENARIOS.includes(input.scenario) ? input.scenario : 'PUBLIC_RESOURCE_TRADING';
    const result = await ctx.graph<{ creditChecks: Check[]; subjects: { code: string; name: string | null }[] | null }>(
      `query BidderCheck($codes: [ID!]!, $scenario: Scenario!) {
        creditChecks(codes: $codes, scenario: $scenario) { checkId code verdict registered missingSources checkedAt measures { code name effect appliesTo initiatingDepartment trigger basis until suspended } }
        subjects(codes: $codes) { code name } }`,
      { codes, scenario },
      { apiKey: ctx.credential.apiKey, purpose: input.purpose.trim() || ctx.credential.purpose },
    );
    // Nothing checked (a refused purpose, a role that may not check): the page says why and keeps what was typed.
    if (!result.data?.creditChecks) return { result: null, message: sectionError(locale, result) };
    for (const check of result.data.creditChecks) checks.set(check.code, check);
    for (const subject of result.data.subjects ?? []) registeredNames.set(subject.code, subject.name);
    message = errorNotice(locale, result);
  } else {
    message = notice('error', t(locale, 'nothingChecked'));
  }
  const rows = resultRows(locale, entries, sequences, resolved, checks, registeredNames);
  return {
    result: {
      sheet: { header: COLUMNS.map((name) => t(locale, name)), rows: rows.map((row) => row.cells) },
      rows,
      // Subjects a row gives a verdict for (a code under another subject's name gets none).
      checked: new Set(rows.filter((row) => !WITHOUT_VERDICT.has(row.verdictClass)).map((row) => row.cells[column('code')])).size,
      notes: skippedNumbers > 0 ? [t(locale, 'skippedNumbers', { n: skippedNumbers })] : [],
    },
    message,
  };
}

/** The result on the page: what was checked and skipped, the downloads of this check, and the table. */
function resultHtml(locale: Locale, result: CheckResult, id: string): Html {
  // The file's 序号 beside the line number when it has one (line 2 is 序号 1 under a header).
  const hasSequence = result.rows.some((row) => row.cells[column('sequence')] !== '');
  const shown: Column[] = [...(hasSequence ? (['lineNo', 'sequence'] as const) : (['lineNo'] as const)), 'given', 'name', 'verdict', 'measures', 'note'];
  const unchecked = result.rows.filter((row) => WITHOUT_VERDICT.has(row.verdictClass)).length;
  const cell = (row: ResultRow, name: Column): Html => {
    const value = row.cells[column(name)]!;
    if (name === 'verdict') return html`<td class="${row.verdictClass}">${value}</td>`;
    // The legal bases are long: folded, a table of twenty bidders stays readable.
    if (name === 'measures') return html`<td>${row.measures.map((m) => html`<details class="measure"><summary>${measureHeading(locale, m)}</summary>${measureBasis(m)}</details>`)}</td>`;
    if (name === 'name') return html`<td>${value}${row.cells[column('code')] ? html`<br><code>${row.cells[column('code')]}</code>` : ''}</td>`;
    return html`<td>${value}</td>`;
  };
  return html`${notice('info', html`${t(locale, 'checkSummary', { id, lines: result.rows.length, checked: result.checked, unchecked })}${result.notes.map((n) => html` ${n}`)}`)}
    <p class="downloads"><a class="button" href="/console/check/${id}.csv" download>${t(locale, 'downloadCsv')}</a>
      <a class="button" href="/console/check/${id}.xlsx" download>${t(locale, 'downloadXlsx')}</a></p>
    <table class="results check" data-check="${id}"><caption>${t(locale, 'checkTitle')}</caption>
      <thead><tr>${shown.map((name) => html`<th scope="col">${result.sheet.header[column(name)]}</th>`)}</tr></thead>
      <tbody>${result.rows.map((row) => html`<tr>${shown.map((name) => cell(row, name))}</tr>`)}</tbody></table>`;
}

export function checkPage(ctx: ConsoleContext, state: CheckInput & { outcome?: CheckOutcome; id?: string | null }): string {
  const { locale } = ctx;
  const { outcome } = state;
  const body = html`<form class="stack" method="post" action="/console/check">
      <div class="field"><label for="codes">${t(locale, 'codesLabel')}</label><textarea id="codes" name="codes" rows="8" required aria-describedby="codes-hint">${state.codes.length > MAX_ECHO_CHARS ? '' : state.codes}</textarea>
        <p class="hint" id="codes-hint">${t(locale, 'codesHint')}</p></div>
      <div class="field"><label for="csv">${t(locale, 'csvLabel')}</label><input id="csv" type="file" accept=".csv,.txt,text/csv,text/plain" data-fills="codes"></div>
      <div class="field"><label for="scenario">${t(locale, 'scenario')}</label><select id="scenario" name="scenario">
        ${SCENARIOS.map((s) => html`<option value="${s}"${s === state.scenario ? html` selected` : ''}>${valueName(s, locale)}</option>`)}</select></div>
      <div class="field"><label for="purpose">${t(locale, 'purpose')}</label><input id="purpose" name="purpose" value="${state.purpose}" required maxlength="500"></div>
      <button type="submit">${t(locale, 'runCheck')}</button>
    </form>
    ${outcome?.message ?? ''}
    ${outcome?.result && state.id ? resultHtml(locale, outcome.result, state.id) : ''}`;
  return consolePage(ctx, t(locale, 'checkTitle'), body);
}
