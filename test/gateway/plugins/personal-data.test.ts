/**
 * plugins/personal-data.ts: for a caller without `personal`, every natural
 * person's identity number leaves the gateway masked, in data and in errors,
 * except a code the caller named itself and gets back exactly; a caller with
 * `personal` gets the answer as it is.
 */
import { GraphQLError } from 'graphql';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { buildResidentId, maskResidentId } from '../../../lib/identifiers';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { errorMaskingPlugin } from '../../../gateway/plugins/error-masking';
import { personalDataPlugin } from '../../../gateway/plugins/personal-data';
import { auditRecordOf } from '../../../gateway/plugins/audit';
import { maskPersonalData, maskResidentIds } from '../../../lib/personal-data';
import { bearer, JWT_SECRET, schema, send } from './harness';

describe('personal-data plugin', () => {
  const credentials = credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) });
  const plugins = [credentials, parseValidatePlugin({ schema: () => schema }), errorMaskingPlugin(), personalDataPlugin()];
  const asked = buildResidentId('110101', '19900307', '123');
  const other = buildResidentId('440305', '19851111', '456');
  const answer = async () => ({
    data: { records: [{ id: `dishonest_debtor/${asked}/（2024）京0101执1号`, detail: `代表人 ${other}` }, { id: asked, detail: other }] },
    errors: [new GraphQLError(`COURTS holds no record 'dishonest_debtor/${asked}/x' of subject ${asked}`, { path: ['records'], extensions: { code: 'BAD_USER_INPUT', input: asked, recordValue: other } })],
  });
  const query = { query: 'query($c: ID!) { records(code: $c) { id detail } }', variables: { c: asked.toLowerCase() } };

  it('masks every number for PUBLIC but the code it named, echoed exactly as a code or as its own input, nowhere else', async () => {
    const { body } = await send(plugins, query, {}, { execute: answer });
    // The named number in another field (here a record's id) is masked: naming candidates beside a list must not tell which one is listed.
    expect(body.data.records).toEqual([
      { id: `dishonest_debtor/${maskResidentId(asked)}/（2024）京0101执1号`, detail: `代表人 ${maskResidentId(other)}` },
      { id: maskResidentId(asked), detail: maskResidentId(other) },
    ]);
    expect(maskPersonalData({ subject: { code: asked, inspectionResults: [{ subjectCode: asked }] } }, new Set([asked]))).toEqual({ subject: { code: asked, inspectionResults: [{ subjectCode: maskResidentId(asked) }] } });
    expect(body.errors).toEqual([
      { message: `COURTS holds no record 'dishonest_debtor/${maskResidentId(asked)}/x' of subject ${maskResidentId(asked)}`, path: ['records'], extensions: { code: 'BAD_USER_INPUT', input: asked, recordValue: maskResidentId(other) } },
    ]);
  });

  it('masks for a role without personal (an approval system), not for one with it (the credit office)', async () => {
    const approval = await send(plugins, query, await bearer('APPROVAL_SYSTEM'), { execute: answer });
    expect(JSON.stringify(approval.body)).not.toContain(other);
    const office = await send(plugins, query, await bearer('CREDIT_OFFICE'), { execute: answer });
    expect(office.body.data.records[0]).toEqual({ id: `dishonest_debtor/${asked}/（2024）京0101执1号`, detail: `代表人 ${other}` });
    expect(office.body.errors[0].extensions.recordValue).toBe(other);
  });

  it('masks a refusal answered before execution too', async () => {
    const { body } = await send(plugins, { query: 'query($c: ID!) { records(code: $c) { id } }', variables: { c: { person: other } } });
    expect(body.errors[0].message).toContain(maskResidentId(other));
    expect(JSON.stringify(body)).not.toContain(other);
  });

  it('masks a number written out as people type it: grouped with spaces or dashes, full-width, with zero-width characters, or 15 digits (third issue 17 review)', () => {
    const fullWidth = [...other].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    const spaced = `${other.slice(0, 4)} ${other.slice(4, 8)} ${other.slice(8, 12)} ${other.slice(12, 16)} ${other.slice(16)}`;
    const dashed = `${other.slice(0, 6)}-${other.slice(6, 10)}-${other.slice(10, 14)}-${other.slice(14)}`;
    const zeroWidth = `${other.slice(0, 6)}\u200b${other.slice(6)}`;
    for (const written of [fullWidth, spaced, dashed, zeroWidth]) {
      const masked = maskResidentIds(`法定代表人（身份证 ${written}）`);
      expect(masked).toBe(`法定代表人（身份证 ${maskResidentId(other)}）`);
    }
    const old15 = `${other.slice(0, 6)}${other.slice(8, 14)}${other.slice(14, 17)}`;
    expect(maskResidentIds(`旧证 ${old15}`)).toBe(`旧证 ${old15.slice(0, 6)}******${old15.slice(12)}`);
    // Not a person: an organisation's code written in groups, a phone number, an amount, a date.
    const organisation = '911101087927936000';
    expect(maskResidentIds(`代码 ${organisation.slice(0, 9)} ${organisation.slice(9)}`)).toBe(`代码 ${organisation.slice(0, 9)} ${organisation.slice(9)}`);
    expect(maskResidentIds('电话 138-0013-8000，金额 1,648,305.34 元，2026-12-02')).toBe('电话 138-0013-8000，金额 1,648,305.34 元，2026-12-02');
  });

  it('masks ID-shaped numbers in free text even with a wrong check character, and numbers glued to other digits (issue 17 review)', () => {
    const wrongCheck = `${other.slice(0, 17)}${other[17] === '0' ? '1' : '0'}`;
    expect(maskResidentIds(`身份证 ${wrongCheck}，电话`)).toBe(`身份证 ${maskResidentId(wrongCheck)}，电话`);
    expect(maskResidentIds(`编号1${other}`)).toBe(`编号1${maskResidentId(other)}`);
    expect(maskResidentIds(`${other.toLowerCase()}`)).toBe(maskResidentId(other));
    // Not a person: a unified social credit code of digits, a longer number, an impossible birth date.
    expect(maskResidentIds('913101153736514982')).toBe('913101153736514982');
    expect(maskResidentIds(`账号 1${wrongCheck}`)).toBe(`账号 1${wrongCheck}`);
    expect(maskResidentIds('合同 110101199013401234')).toBe('合同 110101199013401234');
  });

  it('keeps the subjects the answer held before masking, for the audit entry (issue 17 review: subjects [] for masked reads)', async () => {
    const { request } = await send(plugins, { query: '{ records(code: "x") { id detail } }' }, await bearer('APPROVAL_SYSTEM'), { execute: answer });
    expect(JSON.stringify(request.result)).not.toContain(other);
    expect(auditRecordOf(request, request.responseText!).subjects).toEqual(expect.arrayContaining([asked, other]));
  });
});
