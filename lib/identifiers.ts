/**
 * Identifiers of credit subjects.
 *
 * - Unified social credit code (USCC), GB 32100-2015: 18 characters.
 * - Resident identity number, GB 11643-1999: 17 digits and a check character.
 *
 * Validation never answers "not found" for a malformed code: callers get the
 * reason (length, character set, checksum) so a typo is distinguishable from a
 * subject that simply has no records.
 */

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11714 organisation code: 8 body characters, check at position 9. */
const ORG_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type InvalidCodeReason = 'LENGTH' | 'CHARSET' | 'CHECKSUM';
export type SubjectKind = 'ORGANISATION' | 'NATURAL_PERSON';

export type CodeValidation =
  | { valid: true; code: string; kind: SubjectKind }
  | {
      valid: false;
      reason: InvalidCodeReason;
      message: string;
      /** The detail behind the message, for callers that say it in another language: the length found (LENGTH), the character refused and its position (CHARSET), the check character found and the one expected (CHECKSUM), and NATURAL_PERSON when the input was judged as a resident identity number. */
      judgedAs?: SubjectKind;
      length?: number;
      character?: string;
      position?: number;
      expected?: string;
    };

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c]!;
}

export function organisationCodeCheckCharacter(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORG_ALPHABET.indexOf(body8[i]!) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * Splits trimmed input into characters (code points, so one emoji is one
 * character) and upper-cases each on its own: upper-casing the whole string
 * could change its length ('ß' → 'SS') and turn a character error into a
 * length error, or the other way round.
 */
function characters(input: string): { original: string[]; upper: string[] } {
  const original = Array.from(input.trim());
  return { original, upper: original.map((char) => char.toUpperCase()) };
}

/** Validates a USCC; lower case is accepted and normalised. Length is judged first, then characters, then the check character. */
export function validateUscc(input: string): CodeValidation {
  const { original, upper } = characters(input);
  if (original.length !== 18) {
    return { valid: false, reason: 'LENGTH', message: `a unified social credit code has 18 characters, got ${original.length}`, length: original.length };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(upper[i]!)) {
      return {
        valid: false,
        reason: 'CHARSET',
        message: `character '${original[i]}' at position ${i + 1} is not allowed in a unified social credit code (allowed: ${USCC_ALPHABET})`,
        character: original[i],
        position: i + 1,
      };
    }
  }
  const code = upper.join('');
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return { valid: false, reason: 'CHECKSUM', message: `check character is '${code[17]}', expected '${expected}'`, character: code[17], expected };
  }
  return { valid: true, code, kind: 'ORGANISATION' };
}

/** Validates an 18-digit resident identity number; a lower-case 'x' check is normalised. */
export function validateResidentId(input: string): CodeValidation {
  const { original, upper } = characters(input);
  if (original.length !== 18) {
    return { valid: false, reason: 'LENGTH', message: `a resident identity number has 18 characters, got ${original.length}` };
  }
  const code = upper.join('');
  if (!/^[0-9]{17}[0-9X]$/.test(code)) {
    return { valid: false, reason: 'CHARSET', message: 'a resident identity number is 17 digits followed by a digit or X' };
  }
  const expected = residentIdCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return { valid: false, reason: 'CHECKSUM', message: `the resident identity number's check character is '${code[17]}', expected '${expected}'`, character: code[17], expected, judgedAs: 'NATURAL_PERSON' };
  }
  return { valid: true, code, kind: 'NATURAL_PERSON' };
}

/** Whether positions 7–14 of an 18-character identity number are a real calendar date (YYYYMMDD, years 1800–2099). */
export function hasRealBirthDate(id: string): boolean {
  const match = /^[0-9]{6}(18|19|20)([0-9]{2})([0-9]{2})([0-9]{2})/.exec(id);
  if (!match) return false;
  const year = Number(match[1]! + match[2]!);
  const month = Number(match[3]);
  const day = Number(match[4]);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Validates the key of a credit subject: a USCC, or a resident identity number
 * for a natural person. A string that is a valid identity number is a person,
 * unless it is also a valid USCC and carries no real birth date; otherwise the
 * USCC rules decide the reason for refusal.
 */
export function validateSubjectCode(input: string): CodeValidation {
  const known = validatedCodes.get(input);
  if (known) return known;
  const validation = Object.freeze(judgeSubjectCode(input));
  // Remembered: the same codes are validated again and again (every fetch, check and audit entry names them), and it showed in the profiles.
  if (input.length <= 64) {
    if (validatedCodes.size >= MAX_REMEMBERED_CODES) validatedCodes.clear();
    validatedCodes.set(input, validation);
  }
  return validation;
}

const MAX_REMEMBERED_CODES = 100_000;
const validatedCodes = new Map<string, Readonly<CodeValidation>>();

function judgeSubjectCode(input: string): CodeValidation {
  const asPerson = validateResidentId(input);
  const asOrganisation = validateUscc(input);
  // An all-digit USCC passes the identity-number checksum about one time in eleven; only a string
  // whose positions 7–14 are a real birth date is taken for a person when it is a valid USCC too.
  if (asPerson.valid && (!asOrganisation.valid || hasRealBirthDate(asPerson.code))) return asPerson;
  // Neither, and shaped like a person's number (a real birth date, a digit or X last) with a wrong check
  // character: say what a person's number expects, not an organisation's (found by a black-box review).
  if (!asOrganisation.valid && !asPerson.valid && asPerson.reason === 'CHECKSUM' && hasRealBirthDate(input.trim().toUpperCase())) return asPerson;
  return asOrganisation;
}

/** Whether a code is a valid natural person's (a resident identity number), as validateSubjectCode judges it. */
export function isNaturalPerson(code: string): boolean {
  const validated = validateSubjectCode(code);
  return validated.valid && validated.kind === 'NATURAL_PERSON';
}

/** Masks a resident identity number for callers not entitled to see it: 110101********123X. */
export function maskResidentId(id: string): string {
  if (id.length !== 18) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/** Masks a person's name: keeps the family name (first character). */
export function maskPersonName(name: string): string {
  const chars = Array.from(name);
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

export interface UsccParts {
  /** Registration authority: 9 market supervision, 5 civil affairs, 1 organs, Y other. */
  authority: string;
  /** Entity type under the authority: for market supervision 1 enterprise, 2 sole trader, 3 cooperative. */
  entityType: string;
  /** Six-digit administrative division code. */
  division: string;
  /** Eight body characters of the organisation code (its check is computed). */
  organisationBody: string;
}

/** Builds a valid USCC from its parts, computing both check characters. */
export function buildUscc(parts: UsccParts): string {
  const fixed = [
    ['authority', parts.authority, 1],
    ['entityType', parts.entityType, 1],
    ['division', parts.division, 6],
    ['organisationBody', parts.organisationBody, 8],
  ] as const;
  for (const [name, value, length] of fixed) {
    if (value.length !== length || [...value].some((char) => !USCC_ALPHABET.includes(char))) {
      throw new RangeError(`${name} must be ${length} character(s) from ${USCC_ALPHABET}, got '${value}'`);
    }
  }
  const orgCheck = organisationCodeCheckCharacter(parts.organisationBody);
  const first17 = parts.authority + parts.entityType + parts.division + parts.organisationBody + orgCheck;
  return first17 + usccCheckCharacter(first17);
}

/** Builds a valid resident identity number from division, birth date (YYYYMMDD) and sequence (3 digits). */
export function buildResidentId(division: string, birthDate: string, sequence: string): string {
  if (!/^[0-9]{6}$/.test(division) || !/^[0-9]{8}$/.test(birthDate) || !/^[0-9]{3}$/.test(sequence)) {
    throw new RangeError(`a resident identity number is built from 6 division digits, an 8-digit birth date and 3 sequence digits, got '${division}', '${birthDate}', '${sequence}'`);
  }
  const first17 = division + birthDate + sequence;
  return first17 + residentIdCheckCharacter(first17);
}
