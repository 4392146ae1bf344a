/**
 * Identifiers of credit subjects (lib/identifiers.ts), checked against the
 * standards' rules (DESIGN.md "Identifiers") with properties over generated
 * codes and with examples whose check characters are worked out by hand here.
 */
import fc from 'fast-check';
import {
  USCC_ALPHABET,
  buildResidentId,
  buildUscc,
  hasRealBirthDate,
  maskPersonName,
  maskResidentId,
  organisationCodeCheckCharacter,
  residentIdCheckCharacter,
  usccCheckCharacter,
  validateResidentId,
  validateSubjectCode,
  validateUscc,
  type CodeValidation,
} from '../lib/identifiers';

const DIGITS = '0123456789';
const ID_CHECK_CHARS = '0123456789X';
const RUNS = { numRuns: 500 };

const chars = (alphabet: string) => fc.constantFrom(...alphabet);
const fixedString = (alphabet: string, length: number) => fc.string({ unit: chars(alphabet), minLength: length, maxLength: length });

const usccParts = fc.record({
  authority: chars(USCC_ALPHABET),
  entityType: chars(USCC_ALPHABET),
  division: fixedString(DIGITS, 6),
  organisationBody: fixedString(USCC_ALPHABET, 8),
});
const uscc = usccParts.map(buildUscc);

const yyyymmdd = (date: Date) => date.toISOString().slice(0, 10).replaceAll('-', '');
const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map(yyyymmdd);
const residentIdParts = fc.record({ division: fixedString(DIGITS, 6), birthDate, sequence: fixedString(DIGITS, 3) });
const residentId = residentIdParts.map((p) => buildResidentId(p.division, p.birthDate, p.sequence));

/** Characters a USCC may not contain: the five letters it leaves out, lower and upper, and a few others. */
const notUsccChar = fc.oneof(chars('IOSVZiosvz'), chars('-_/.,#@*中号０'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !USCC_ALPHABET.includes(c.toUpperCase()) && c.trim() === c));

const replaceAt = (code: string, index: number, char: string) => code.slice(0, index) + char + code.slice(index + 1);

function reasonOf(result: CodeValidation): string {
  return result.valid ? 'VALID' : result.reason;
}

describe('known codes, check characters worked out by hand from the standards', () => {
  // Reference implementations written from the text of the standards (DESIGN.md), independent of lib/identifiers.
  const usccValue = (char: string) => USCC_ALPHABET.indexOf(char); // 0–9, A=10 … Y=30, without I O S V Z
  const referenceUsccCheck = (first17: string) => {
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = [...first17].reduce((total, char, i) => total + usccValue(char) * weights[i]!, 0);
    const c = 31 - (sum % 31);
    return USCC_ALPHABET[c === 31 ? 0 : c];
  };
  const referenceResidentIdCheck = (first17: string) => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
    return '10X98765432'[sum % 11];
  };

  it('accepts the standard\'s worked example 91350100M000100Y43', () => {
    // 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10 + Y(30)·30 + 4·28
    //   = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → '3'.
    expect(referenceUsccCheck('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    // Organisation code M000100Y-4 (GB 11714): M(22)·3 + 1·5 + Y(34)·2 = 66 + 5 + 68 = 139; 139 mod 11 = 7; 11 − 7 = 4.
    expect(organisationCodeCheckCharacter('M000100Y')).toBe('4');
    expect(buildUscc({ authority: '9', entityType: '1', division: '350100', organisationBody: 'M000100Y' })).toBe('91350100M000100Y43');
    expect(validateUscc('91350100M000100Y43')).toEqual({ valid: true, code: '91350100M000100Y43', kind: 'ORGANISATION' });
    expect(validateSubjectCode('91350100m000100y43')).toEqual({ valid: true, code: '91350100M000100Y43', kind: 'ORGANISATION' });
  });

  it('computes check characters of other codes as the standard does', () => {
    // 9·1 + 1·3 + 3·9 + 1·27 + 0 + 1·26 + 1·16 + 5·17 + 2·20 + 0·29 + 0·25 + 0·13 + 0·8 + 0·24 + 0·10 + 0·30 + 2·28 = 289;
    // 289 mod 31 = 10; 31 − 10 = 21 → 'M'.
    expect(referenceUsccCheck('91310115200000002')).toBe('M');
    expect(validateUscc('91310115200000002M')).toMatchObject({ valid: true });
    expect(validateUscc('91310115200000002N')).toMatchObject({ valid: false, reason: 'CHECKSUM' });
    // All zeros: sum 0, 31 − 0 = 31 → 0.
    expect(referenceUsccCheck('00000000000000000')).toBe('0');
    expect(validateUscc('000000000000000000')).toMatchObject({ valid: true });
  });

  it('accepts the resident identity numbers of GB 11643\'s examples', () => {
    // 11010519491231002: 1·7 + 1·9 + 0 + 1·5 + 0 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0 + 0 + 2·2 = 167;
    // 167 mod 11 = 2 → 'X'.
    expect(referenceResidentIdCheck('11010519491231002')).toBe('X');
    expect(validateResidentId('11010519491231002X')).toEqual({ valid: true, code: '11010519491231002X', kind: 'NATURAL_PERSON' });
    expect(validateSubjectCode('11010519491231002x')).toEqual({ valid: true, code: '11010519491231002X', kind: 'NATURAL_PERSON' });
    // A person's number with a wrong check character is told what a person's number expects, not what a USCC would.
    expect(validateSubjectCode('110105194912310029')).toMatchObject({ valid: false, reason: 'CHECKSUM', message: "the resident identity number's check character is '9', expected 'X'" });
    expect(validateSubjectCode('44052418800101001x')).toMatchObject({ valid: false, reason: 'CHECKSUM', message: "the resident identity number's check character is 'X', expected '4'" });
    // 44052418800101001: 4·7 + 4·9 + 0 + 5·5 + 2·8 + 4·4 + 1·2 + 8·1 + 8·6 + 0 + 0 + 1·9 + 0 + 1·5 + 0 + 0 + 1·2 = 195;
    // 195 mod 11 = 8 → '4'.
    expect(referenceResidentIdCheck('44052418800101001')).toBe('4');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
    expect(buildResidentId('440524', '18800101', '001')).toBe('440524188001010014');
    expect(validateResidentId('440524188001010015')).toMatchObject({ valid: false, reason: 'CHECKSUM' });
  });

  it('agrees with the reference implementations on every generated code', () => {
    fc.assert(
      fc.property(fixedString(USCC_ALPHABET, 17), fixedString(DIGITS, 17), (first17, digits17) => {
        expect(usccCheckCharacter(first17)).toBe(referenceUsccCheck(first17));
        expect(residentIdCheckCharacter(digits17)).toBe(referenceResidentIdCheck(digits17));
      }),
      RUNS,
    );
  });
});

describe('unified social credit codes (properties)', () => {
  it('every built code validates, as itself, as an organisation', () => {
    fc.assert(
      fc.property(uscc, (code) => {
        expect(code).toHaveLength(18);
        expect(validateUscc(code)).toEqual({ valid: true, code, kind: 'ORGANISATION' });
      }),
      RUNS,
    );
  });

  it('a built code is a subject code of an organisation unless it also reads as a resident identity number with a real birth date', () => {
    fc.assert(
      fc.property(uscc, (code) => {
        const person = validateResidentId(code).valid && hasRealBirthDate(code);
        expect(validateSubjectCode(code)).toEqual({ valid: true, code, kind: person ? 'NATURAL_PERSON' : 'ORGANISATION' });
      }),
      RUNS,
    );
    // All-digit codes of pre-2015 organisation codes that pass the identity-number checksum were once taken for persons.
    for (const code of ['913101152000002324', '913101152000007774', '913101152000014464']) {
      expect(validateResidentId(code).valid).toBe(true);
      expect(validateSubjectCode(code)).toEqual({ valid: true, code, kind: 'ORGANISATION' });
    }
  });

  it('normalises lower case to upper case', () => {
    fc.assert(
      fc.property(uscc, fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }), (code, lower) => {
        const mixed = [...code].map((char, i) => (lower[i] ? char.toLowerCase() : char)).join('');
        expect(validateUscc(mixed)).toEqual({ valid: true, code, kind: 'ORGANISATION' });
        expect(validateSubjectCode(mixed)).toMatchObject({ valid: true, code });
      }),
      RUNS,
    );
  });

  it('changing any one character to another allowed character fails the checksum', () => {
    fc.assert(
      fc.property(uscc, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: USCC_ALPHABET.length - 1 }), (code, index, shift) => {
        const replacement = USCC_ALPHABET[(USCC_ALPHABET.indexOf(code[index]!) + shift) % USCC_ALPHABET.length]!;
        const changed = replaceAt(code, index, replacement);
        expect(changed).not.toBe(code);
        expect(reasonOf(validateUscc(changed))).toBe('CHECKSUM');
        expect(reasonOf(validateUscc(changed.toLowerCase()))).toBe('CHECKSUM');
      }),
      RUNS,
    );
  });

  it('swapping two different adjacent characters fails the checksum', () => {
    fc.assert(
      fc.property(uscc, fc.integer({ min: 0, max: 16 }), (code, index) => {
        fc.pre(code[index] !== code[index + 1]);
        const swapped = code.slice(0, index) + code[index + 1] + code[index] + code.slice(index + 2);
        expect(reasonOf(validateUscc(swapped))).toBe('CHECKSUM');
      }),
      RUNS,
    );
  });

  it('a wrong length gives LENGTH, whatever the characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: chars(USCC_ALPHABET), maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })), (input) => {
        const length = Array.from(input.trim()).length;
        fc.pre(length !== 18);
        const result = validateUscc(input);
        expect(reasonOf(result)).toBe('LENGTH');
        expect(result.valid ? '' : result.message).toContain(`got ${length}`);
      }),
      RUNS,
    );
  });

  it('an illegal character gives CHARSET and names its position', () => {
    fc.assert(
      fc.property(uscc, fc.integer({ min: 0, max: 17 }), notUsccChar, (code, index, illegal) => {
        const result = validateUscc(replaceAt(code, index, illegal));
        expect(reasonOf(result)).toBe('CHARSET');
        expect(result.valid ? '' : result.message).toContain(`'${illegal}' at position ${index + 1}`);
      }),
      RUNS,
    );
  });

  it('LENGTH wins over CHARSET, and CHARSET over CHECKSUM (the documented order: length, character, checksum)', () => {
    fc.assert(
      fc.property(uscc, fc.integer({ min: 0, max: 17 }), notUsccChar, fc.integer({ min: -5, max: 5 }).filter((d) => d !== 0), (code, index, illegal, delta) => {
        const withIllegal = [...code];
        withIllegal[index] = illegal;
        // Too long or too short, the illegal character kept: LENGTH.
        const wrongLength = delta > 0 ? [...withIllegal, ...'1'.repeat(delta)] : [illegal, ...withIllegal.filter((_, i) => i !== index).slice(0, 17 + delta)];
        expect(wrongLength).toHaveLength(18 + delta);
        expect(wrongLength).toContain(illegal);
        expect(reasonOf(validateUscc(wrongLength.join('')))).toBe('LENGTH');
        // Right length, an illegal character and a wrong check character: CHARSET.
        const checkIndex = index === 17 ? 16 : 17;
        withIllegal[checkIndex] = USCC_ALPHABET[(USCC_ALPHABET.indexOf(code[checkIndex]!) + 1) % USCC_ALPHABET.length]!;
        expect(reasonOf(validateUscc(withIllegal.join('')))).toBe('CHARSET');
      }),
      RUNS,
    );
  });

  it('judges length and characters on the input, not on its upper-cased form', () => {
    // 'ß' upper-cases to 'SS': 18 characters stay 18 and fail on the character, 17 stay 17 and fail on the length.
    expect(validateUscc('91350100M000100Yß')).toMatchObject({ valid: false, reason: 'LENGTH' });
    expect(validateUscc('91350100M000100Y4ß')).toMatchObject({ valid: false, reason: 'CHARSET', message: expect.stringContaining("'ß' at position 18") });
    // One emoji is one character.
    expect(validateUscc('91350100M000100Y4😀')).toMatchObject({ valid: false, reason: 'CHARSET' });
    // Surrounding white space is not part of the code.
    expect(validateUscc('  91350100M000100Y43\n')).toMatchObject({ valid: true, code: '91350100M000100Y43' });
  });

  it('refuses to build a code from parts outside the alphabet or of the wrong size', () => {
    expect(() => buildUscc({ authority: '9', entityType: '1', division: '350100', organisationBody: 'MA0I0O0S' })).toThrow(RangeError);
    expect(() => buildUscc({ authority: '9', entityType: '1', division: '35010', organisationBody: 'M000100Y' })).toThrow(RangeError);
    expect(() => buildUscc({ authority: '91', entityType: '1', division: '350100', organisationBody: 'M000100Y' })).toThrow(RangeError);
  });
});

describe('resident identity numbers (properties)', () => {
  it('every built number validates, as a person', () => {
    fc.assert(
      fc.property(residentId, (id) => {
        expect(id).toMatch(/^[0-9]{17}[0-9X]$/);
        expect(validateResidentId(id)).toEqual({ valid: true, code: id, kind: 'NATURAL_PERSON' });
        expect(hasRealBirthDate(id)).toBe(true);
        expect(validateSubjectCode(id)).toEqual({ valid: true, code: id, kind: 'NATURAL_PERSON' });
      }),
      RUNS,
    );
  });

  it('normalises a lower-case x check character', () => {
    fc.assert(
      fc.property(residentId.filter((id) => id.endsWith('X')), (id) => {
        expect(validateResidentId(id.toLowerCase())).toEqual({ valid: true, code: id, kind: 'NATURAL_PERSON' });
        expect(validateSubjectCode(id.toLowerCase())).toMatchObject({ valid: true, code: id, kind: 'NATURAL_PERSON' });
      }),
      { numRuns: 100 },
    );
  });

  it('changing any one character to another allowed character fails the checksum', () => {
    fc.assert(
      fc.property(residentId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (id, index, shift) => {
        // Digits everywhere; X only as the check character.
        const allowed = index === 17 ? ID_CHECK_CHARS : DIGITS;
        const replacement = allowed[(allowed.indexOf(id[index]!) + shift) % allowed.length]!;
        fc.pre(replacement !== id[index]);
        expect(reasonOf(validateResidentId(replaceAt(id, index, replacement)))).toBe('CHECKSUM');
      }),
      RUNS,
    );
  });

  it('a wrong length gives LENGTH; a letter, or an X before the check position, gives CHARSET', () => {
    fc.assert(
      fc.property(residentId, fc.integer({ min: 0, max: 16 }), fc.constantFrom('X', 'x', 'A', '-', '中'), (id, index, illegal) => {
        expect(reasonOf(validateResidentId(id.slice(0, 17)))).toBe('LENGTH');
        expect(reasonOf(validateResidentId(`${id}0`))).toBe('LENGTH');
        expect(reasonOf(validateResidentId(replaceAt(id, index, illegal)))).toBe('CHARSET');
        expect(reasonOf(validateResidentId(replaceAt(id, index, illegal).slice(1)))).toBe('LENGTH');
      }),
      RUNS,
    );
  });

  it('tells real birth dates from impossible ones', () => {
    expect(hasRealBirthDate('11010519491231002X')).toBe(true);
    expect(hasRealBirthDate('110105200002290000')).toBe(true); // 2000 is a leap year
    expect(hasRealBirthDate('110105190002290000')).toBe(false); // 1900 is not
    expect(hasRealBirthDate('110105194913310000')).toBe(false);
    expect(hasRealBirthDate('110105194912000000')).toBe(false);
    expect(hasRealBirthDate('110105154912010000')).toBe(false);
  });

  it('refuses to build a number from parts of the wrong size', () => {
    expect(() => buildResidentId('11010', '19491231', '002')).toThrow(RangeError);
    expect(() => buildResidentId('110105', '1949-12-31', '002')).toThrow(RangeError);
    expect(() => buildResidentId('110105', '19491231', '02')).toThrow(RangeError);
  });
});

describe('masking', () => {
  it('keeps the first 6 and last 4 characters of a resident identity number and never reveals the birth date', () => {
    fc.assert(
      fc.property(residentIdParts, (parts) => {
        const id = buildResidentId(parts.division, parts.birthDate, parts.sequence);
        const masked = maskResidentId(id);
        expect(masked).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
        expect(masked).toHaveLength(18);
        expect(masked.slice(0, 6)).toBe(parts.division);
        expect(masked.slice(-4)).toBe(id.slice(-4));
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked).not.toContain(parts.birthDate);
        expect(masked).not.toContain(parts.birthDate.slice(0, 4) + parts.birthDate.slice(4, 6));
      }),
      RUNS,
    );
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });

  it('masks anything that is not 18 characters entirely', () => {
    fc.assert(
      fc.property(fc.string({ unit: chars(ID_CHECK_CHARS), maxLength: 30 }).filter((s) => s.length !== 18), (text) => {
        expect(maskResidentId(text)).toBe('*'.repeat(text.length));
      }),
      RUNS,
    );
  });

  it('keeps only the family name (first character) of a person\'s name', () => {
    expect(maskPersonName('张三丰')).toBe('张**');
    expect(maskPersonName('欧阳修文')).toBe('欧***');
    expect(maskPersonName('李')).toBe('*');
    expect(maskPersonName('𠀀明')).toBe('𠀀*'); // a character outside the BMP is one character
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', minLength: 2, maxLength: 6 }), (name) => {
        const masked = maskPersonName(name);
        const chars = Array.from(name);
        expect(Array.from(masked)).toHaveLength(chars.length);
        expect(masked).toBe(chars[0] + '*'.repeat(chars.length - 1));
      }),
      RUNS,
    );
  });
});
