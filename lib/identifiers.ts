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
  | { valid: false; reason: InvalidCodeReason; message: string };

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

/** Validates a USCC; lower case is accepted and normalised. */
export function validateUscc(input: string): CodeValidation {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) {
    return { valid: false, reason: 'LENGTH', message: `a unified social credit code has 18 characters, got ${code.length}` };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_ALPHABET.includes(code[i]!)) {
      return {
        valid: false,
        reason: 'CHARSET',
        message: `character '${code[i]}' at position ${i + 1} is not allowed in a unified social credit code (allowed: ${USCC_ALPHABET})`,
      };
    }
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return { valid: false, reason: 'CHECKSUM', message: `check character is '${code[17]}', expected '${expected}'` };
  }
  return { valid: true, code, kind: 'ORGANISATION' };
}

/** Validates an 18-digit resident identity number; a lower-case 'x' check is normalised. */
export function validateResidentId(input: string): CodeValidation {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) {
    return { valid: false, reason: 'LENGTH', message: `a resident identity number has 18 characters, got ${code.length}` };
  }
  if (!/^\d{17}[\dX]$/.test(code)) {
    return { valid: false, reason: 'CHARSET', message: 'a resident identity number is 17 digits followed by a digit or X' };
  }
  const expected = residentIdCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return { valid: false, reason: 'CHECKSUM', message: `check character is '${code[17]}', expected '${expected}'` };
  }
  return { valid: true, code, kind: 'NATURAL_PERSON' };
}

/**
 * Validates the key of a credit subject: a USCC, or a resident identity number
 * for a natural person. A string that is a valid identity number is a person;
 * otherwise the USCC rules decide the reason for refusal.
 */
export function validateSubjectCode(input: string): CodeValidation {
  const asPerson = validateResidentId(input);
  if (asPerson.valid) return asPerson;
  return validateUscc(input);
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
  const orgCheck = organisationCodeCheckCharacter(parts.organisationBody);
  const first17 = parts.authority + parts.entityType + parts.division + parts.organisationBody + orgCheck;
  return first17 + usccCheckCharacter(first17);
}

/** Builds a valid resident identity number from division, birth date (YYYYMMDD) and sequence (3 digits). */
export function buildResidentId(division: string, birthDate: string, sequence: string): string {
  const first17 = division + birthDate + sequence;
  return first17 + residentIdCheckCharacter(first17);
}
