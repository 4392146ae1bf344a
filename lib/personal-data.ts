/**
 * Natural persons named on records (legal representatives, restricted
 * persons). Their name and resident identity number leave the subgraph
 * masked (110101********123X, 张**) unless the caller's scopes include
 * `personal` (lib/auth/roles.ts).
 *
 * Inside the graph a natural person's own code (a resident identity number)
 * is the key of the subject and part of its records' ids, so the subgraphs
 * keep it (the graph could not join on a masked key). What leaves the
 * gateway for a caller without `personal` is masked once, in one place
 * (gateway/plugins/personal-data.ts, `maskPersonalData`): every resident
 * identity number in the answer — record ids, source records, a check's
 * measures, messages — except a code the caller named itself and gets back
 * as it is (the subject it asked for).
 */
import type { ForwardedIdentity } from './auth/identity-header';
import { maskPersonName, maskResidentId, validateSubjectCode } from './identifiers';

export interface PersonView {
  name: string;
  residentId: string;
}

/** Whether the caller may see natural persons' names and identity numbers unmasked. */
export function seesPersonalData(caller: Pick<ForwardedIdentity, 'scopes'>): boolean {
  return caller.scopes.includes('personal');
}

/** A person named on a record, as this caller may see them. */
export function personFor(caller: Pick<ForwardedIdentity, 'scopes'>, name: string, residentId: string): PersonView {
  if (seesPersonalData(caller)) return { name, residentId };
  return { name: maskPersonName(name), residentId: maskResidentId(residentId) };
}

/**
 * Shaped like a resident identity number (GB 11643: region code, a birth date
 * 19xx or 20xx, sequence, check character) whatever its check character: a
 * number typed into free text (a finding, a commitment, an interview, a
 * report) with a wrong check digit still names a person.
 */
const ID_SHAPED = /^[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;

/** Every 18 characters of 17 digits and a check character, overlapping (a number glued to other digits is found too). */
const CANDIDATES = /(?=(\d{17}[\dXx]))/g;

/**
 * Every resident identity number inside a text (a record id, a message, free
 * text), masked: a valid one wherever it stands, and one with a wrong check
 * character when it stands alone (not inside a longer run of digits) and is
 * not a unified social credit code.
 */
export function maskResidentIds(text: string): string {
  return maskWrittenOutIds(maskPlainIds(text));
}

/** A digit as typed: ASCII or full-width (０–９), and the X of a check character in either width. */
const DIGIT = '[0-9\\uff10-\\uff19]';
/** What people put between the digits of a number they type: spaces (also full-width), dashes, dots, zero-width characters. */
const GAP = '[\\s\\u3000\\u200b-\\u200d\\u2060\\ufeff.\\-\\u2010-\\u2015\\uff0d]*';
/** A run of 15 to 18 digits (the last may be X) with gaps allowed between them. */
const WRITTEN_OUT = new RegExp(`(?<![0-9\\uff10-\\uff19])${DIGIT}(?:${GAP}${DIGIT}){13,16}(?:${GAP}[0-9\\uff10-\\uff19Xx\\uff38\\uff58])(?![0-9\\uff10-\\uff19Xx\\uff38\\uff58])`, 'g');
/** First-generation (15-digit) numbers: region, birth date yymmdd, sequence. */
const ID_SHAPED_15 = /^[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/;

/** Full-width digits and X as ASCII, gaps dropped. */
function normalisedNumber(written: string): string {
  return written.replace(/[\uff10-\uff19\uff38\uff58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9Xx]/g, '').toUpperCase();
}

/**
 * An identity number written out as people type it in free text — with spaces or dashes between
 * groups, in full-width digits, with zero-width characters inside, or in the old 15-digit form —
 * masked as well (found by a black-box review: `3205 8319 9610 1739 66` and `３２０５…` reached
 * PUBLIC whole). Over-masking a long account number written the same way costs nothing.
 */
function maskWrittenOutIds(text: string): string {
  return text.replace(WRITTEN_OUT, (written) => {
    const number = normalisedNumber(written);
    if (number.length === 18) {
      const checked = validateSubjectCode(number);
      // An organisation's code written with gaps stays as written; a person's, or a person-shaped number with a wrong check character, is masked.
      if (checked.valid ? checked.kind === 'NATURAL_PERSON' : ID_SHAPED.test(number)) return maskResidentId(number);
    }
    if (number.length === 15 && ID_SHAPED_15.test(number)) return `${number.slice(0, 6)}******${number.slice(12)}`;
    return written;
  });
}

function maskPlainIds(text: string): string {
  let masked = '';
  let from = 0;
  for (const match of text.matchAll(CANDIDATES)) {
    const at = match.index!;
    if (at < from) continue;
    const candidate = match[1]!.toUpperCase();
    const checked = validateSubjectCode(candidate);
    const alone = !/\d/.test(text[at - 1] ?? '') && !/[\dXx]/.test(text[at + 18] ?? '');
    const person = checked.valid ? checked.kind === 'NATURAL_PERSON' : alone && ID_SHAPED.test(candidate);
    if (!person) continue;
    masked += text.slice(from, at) + maskResidentId(candidate);
    from = at + 18;
  }
  return from === 0 ? text : masked + text.slice(from);
}

/**
 * A text that may name natural persons (a list entry's code, a record id,
 * an error message), as this caller may see it: resident identity numbers
 * masked unless it holds `personal`. Where a caller names a person itself
 * (the subject it asked for), the code is the key it holds; where the graph
 * lists or echoes subjects the caller did not name, this applies.
 */
export function personalTextFor(caller: Pick<ForwardedIdentity, 'scopes'>, text: string): string {
  return seesPersonalData(caller) ? text : maskResidentIds(text);
}

/**
 * A whole answer (data, an error's message and extensions) as a caller
 * without `personal` may see it: every valid resident identity number in
 * every string masked, except the `code` of an object (or a refusal's
 * `input`) that is exactly one of the codes the caller named (`named`, upper
 * case): the subject or check it asked for, echoed back as its key. Anywhere else — another field holding
 * the same number (an inspection result's `subjectCode`), a number inside a
 * longer text (a record id, a message) — it is masked: naming candidates
 * beside a list once told which of them was the person listed (found by a
 * black-box review).
 */
export function maskPersonalData<T>(value: T, named: ReadonlySet<string>, depth = 0, key?: string): T {
  if (typeof value === 'string') return (key !== undefined && ECHO_KEYS.has(key) && named.has(value) ? value : maskResidentIds(value)) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, named, depth + 1, key)) as T;
  const masked: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) masked[field] = maskPersonalData(item, named, depth + 1, field);
  return masked as T;
}

/** Where a named code is echoed: a subject's (or a check's) own `code`, and a refusal's `input` (what the caller sent). */
const ECHO_KEYS = new Set(['code', 'input']);
