/**
 * plugins/persisted-queries.ts: a hash stands for its text and nothing else.
 * A hash a privileged caller registered, replayed by anyone, is judged for
 * the replaying caller exactly as the text sent in full would be; unknown
 * and mismatched hashes get the protocol's answers; off means unsupported.
 */
import { createHash } from 'node:crypto';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { accessPolicies } from '../../../gateway/auth/field-access';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { fieldAccessPlugin } from '../../../gateway/plugins/field-access';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { persistedQueriesPlugin } from '../../../gateway/plugins/persisted-queries';
import { bearer, executions, JWT_SECRET, schema, SDL, send } from './harness';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('persisted-queries plugin', () => {
  const gate = (enabled = true) => [
    credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }),
    persistedQueriesPlugin({ enabled }),
    parseValidatePlugin({ schema: () => schema }),
    fieldAccessPlugin({ schema: () => schema, policies: accessPolicies(SDL) }),
  ];

  it('runs a registered hash as its text, judged for whoever sends it: a privileged hash gives PUBLIC nothing it could not read', async () => {
    const plugins = gate();
    const query = 'query Detail($c: ID!) { subject(code: $c) { code tax { level amount } } creditCheck(code: $c) }';
    const bank = await bearer('FINANCIAL_INSTITUTION');
    const registered = await send(plugins, { query, variables: { c: 'A' }, extensions: persisted(sha(query)) }, bank);
    expect(registered.body.data.creditCheck).toBe('CLEAR');
    expect(registered.body.data.subject.tax.amount).toBe(12.5);
    expect((await send(plugins, { variables: { c: 'A' }, extensions: persisted(sha(query)) }, bank)).body).toEqual(registered.body);

    // Another caller does not even learn that the bank sent that text: its hash is unknown to it (a store shared by all was a side channel).
    const elsewhere = await send(plugins, { variables: { c: 'A' }, extensions: persisted(sha(query)) });
    expect(elsewhere.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    // Registered by PUBLIC itself, the replay is judged for PUBLIC exactly as the text in full.
    await send(plugins, { query, variables: { c: 'A' }, extensions: persisted(sha(query)) });
    const replayed = await send(plugins, { variables: { c: 'A' }, extensions: persisted(sha(query)) });
    const inFull = await send(plugins, { query, variables: { c: 'A' } });
    expect(replayed.status).toBe(inFull.status);
    expect(replayed.body).toEqual(inFull.body);
    expect(replayed.body.data).toEqual({ subject: { code: 'A', tax: { level: null, amount: null } }, creditCheck: null });
    expect(new Set(replayed.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code))).toEqual(new Set(['FORBIDDEN']));
    // The replay is the text itself from parsing on: the operation that will run, for the audit and every plugin after.
    expect(replayed.request.source).toBe(query);
    expect(replayed.request.operation?.name?.value).toBe('Detail');
    // The replaying caller's own credential still counts: a bad one is refused before any hash is looked at.
    expect((await send(plugins, { extensions: persisted(sha(query)) }, { authorization: 'Bearer forged' })).status).toBe(401);
  });

  it('answers PERSISTED_QUERY_NOT_FOUND for a hash it does not hold, and runs nothing', async () => {
    const before = executions.count;
    const { status, body, headers } = await send(gate(), { extensions: persisted(sha('{ subject(code: "A") { code } }#never sent')) });
    expect(status).toBe(200);
    expect(body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(headers['cache-control']).toMatch(/no-cache/);
    expect(executions.count).toBe(before);
  });

  it('keeps a text only under its own hash, and only once it validated', async () => {
    const plugins = gate();
    const text = '{ subject(code: "B") { code } }';
    const mismatch = await send(plugins, { query: text, extensions: persisted(sha('{ something else }')) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].message).toBe('provided sha does not match query');
    expect((await send(plugins, { extensions: persisted(sha('{ something else }')) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const invalid = '{ nope }';
    expect((await send(plugins, { query: invalid, extensions: persisted(sha(invalid)) })).status).toBe(400);
    expect((await send(plugins, { extensions: persisted(sha(invalid)) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses malformed extensions and other versions with a clear message', async () => {
    const plugins = gate();
    const cases: [unknown, RegExp][] = [
      [{ persistedQuery: { version: 2, sha256Hash: sha('x') } }, /Unsupported persisted query version/],
      [{ persistedQuery: { version: 1, sha256Hash: 'abc' } }, /64 hexadecimal digits/],
      [{ persistedQuery: 'yes' }, /must be an object/],
      ['not an object', /`extensions` must be a JSON object/],
    ];
    for (const [extensions, message] of cases) {
      const { status, body } = await send(plugins, { query: '{ __typename }', extensions });
      expect({ status, message: body.errors[0].message }).toEqual({ status: 400, message: expect.stringMatching(message) });
    }
  });

  it('switched off, answers PERSISTED_QUERY_NOT_SUPPORTED to any request naming a hash, and plain requests as before', async () => {
    const plugins = gate(false);
    const text = '{ subject(code: "C") { code } }';
    expect((await send(plugins, { query: text, extensions: persisted(sha(text)) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect((await send(plugins, { extensions: persisted(sha(text)) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect((await send(plugins, { query: text })).body.data.subject.code).toBe('C');
  });
});
