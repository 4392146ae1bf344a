/**
 * plugins/field-access.ts: forbidden fields never reach execution and come
 * back null with FORBIDDEN at the client's own text, through interfaces,
 * unions, fragments and variables, with nothing of the rewrite in the answer.
 */
import { accessPolicies } from '../../../gateway/auth/field-access';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { fieldAccessPlugin } from '../../../gateway/plugins/field-access';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { bearer, executions, JWT_SECRET, schema, SDL, send } from './harness';

describe('field-access plugin', () => {
  const credentials = credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) });
  const plugins = [credentials, parseValidatePlugin({ schema: () => schema }), fieldAccessPlugin({ schema: () => schema, policies: accessPolicies(SDL) })];
  const lastExecuted = () => executions.documents.at(-1)!;
  const located = (query: string, error: { locations: { line: number; column: number }[] }) => query.split('\n')[error.locations[0]!.line - 1]!.slice(error.locations[0]!.column - 1);

  it('reads interface fields by the interface’s and every implementation’s policy, and fills them by runtime type', async () => {
    const query = '{ records(code: "A") { id detail ... on Penalty { fine } ... on Licence { scope } } }';
    const { status, body, text, request } = await send(plugins, { query });
    expect(status).toBe(200);
    expect(lastExecuted()).not.toMatch(/detail|fine/);
    expect(body.data).toEqual({ records: [{ id: 'A-p', detail: null, fine: null }, { id: 'A-l', detail: null, scope: 'retail' }] });
    expect(body.errors.map((e: { path: unknown; extensions: { code: string } }) => [e.path, e.extensions.code])).toEqual([
      [['records', 0, 'detail'], 'FORBIDDEN'],
      [['records', 0, 'fine'], 'FORBIDDEN'],
      [['records', 1, 'detail'], 'FORBIDDEN'],
    ]);
    expect(located(query, body.errors[1])).toMatch(/^fine/);
    expect(text).not.toMatch(/__cg/);
    expect(request.outcome).toBe('PARTIAL');
    // A role with the records scope reads them all, unchanged.
    const full = await send(plugins, { query }, await bearer('APPROVAL_SYSTEM'));
    expect(full.body).toEqual({ data: { records: [{ id: 'A-p', detail: 'late filing', fine: 500 }, { id: 'A-l', detail: 'food retail', scope: 'retail' }] } });
  });

  it('fills union members by their runtime type', async () => {
    const { body, text } = await send(plugins, { query: '{ search(text: "B") { ... on Penalty { id fine } ... on Licence { id scope } } }' });
    expect(body.data).toEqual({ search: [{ id: 'B-p', fine: null }, { id: 'B-l', scope: 'retail' }] });
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([['search', 0, 'fine']]);
    expect(text).not.toMatch(/__cg/);
  });

  it('removes a fragment it empties (no "never used"), keeps the emptied object, and asks for nothing forbidden', async () => {
    const query = 'query Q($c: ID!, $k: ID!) {\n  subject(code: $c) { code tax { ...T } }\n  creditCheck(code: $k)\n}\nfragment T on TaxProfile { level amount }';
    const { status, body, text } = await send(plugins, { query, variables: { c: 'A', k: 'A' } });
    expect(status).toBe(200);
    expect(lastExecuted()).not.toMatch(/fragment|creditCheck/);
    expect(body.data).toEqual({ subject: { code: 'A', tax: { level: null, amount: null } }, creditCheck: null });
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([
      ['subject', 'tax', 'level'],
      ['subject', 'tax', 'amount'],
      ['creditCheck'],
    ]);
    expect(body.errors.every((e: { extensions: { code: string } }) => e.extensions.code === 'FORBIDDEN')).toBe(true);
    expect(located(query, body.errors[2])).toMatch(/^creditCheck/);
    expect(text).not.toMatch(/__cg|never used/);
  });

  it('asks for nothing else when everything selected is forbidden', async () => {
    const { body } = await send(plugins, { query: '{ creditCheck(code: "A") }' });
    expect(body).toEqual({ errors: [expect.objectContaining({ path: ['creditCheck'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })], data: { creditCheck: null } });
  });

  it('is off with the access policies off (--access open)', async () => {
    const open = [credentials, parseValidatePlugin({ schema: () => schema }), fieldAccessPlugin({ schema: () => schema, policies: null })];
    const { body } = await send(open, { query: '{ creditCheck(code: "A") records(code: "A") { detail } }' });
    expect(body).toEqual({ data: { creditCheck: 'CLEAR', records: [{ detail: 'late filing' }, { detail: 'food retail' }] } });
  });
});

describe('field-access plugin and @skip/@include', () => {
  const plugins = [parseValidatePlugin({ schema: () => schema }), fieldAccessPlugin({ schema: () => schema, policies: accessPolicies(SDL) })];

  it('puts back only the forbidden fields the directives kept, variables’ defaults included', async () => {
    const query = 'query($show: Boolean = true, $hide: Boolean = false) { subject(code: "A") { code tax { level @include(if: $show) amount @skip(if: $hide) } name @skip(if: $show) } }';
    const { status, body } = await send(plugins, { query });
    expect(status).toBe(200);
    expect(body.data).toEqual({ subject: { code: 'A', tax: { level: null, amount: null } } });
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([
      ['subject', 'tax', 'level'],
      ['subject', 'tax', 'amount'],
    ]);
    const hidden = await send(plugins, { query, variables: { show: false } });
    expect(hidden.body.data).toEqual({ subject: { code: 'A', tax: { amount: null }, name: 'name of A' } });
    expect(hidden.body.errors.map((e: { path: unknown }) => e.path)).toEqual([['subject', 'tax', 'amount']]);
  });
});
