/**
 * plugins/subject-authorisation.ts against the real credit subgraph
 * (in-process, on PostgreSQL): a bank reads tax detail only under the
 * subjects that authorised it, by any query shape, and asks no department
 * for it when none did.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildUscc } from '../../../lib/identifiers';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { todayInChina } from '../../../lib/clock';
import { accessPolicies } from '../../../gateway/auth/field-access';
import { remoteAuthorisationLookup } from '../../../gateway/auth/credit-office';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { fieldAccessPlugin } from '../../../gateway/plugins/field-access';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { subjectAuthorisationPlugin } from '../../../gateway/plugins/subject-authorisation';
import { creditSubgraph } from '../../../subgraphs/credit';
import { startSubgraph, type SubgraphUnderTest } from '../../helpers/subgraph';
import { bearer, executions, JWT_SECRET, logger, schema, SDL, send } from './harness';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '320583', organisationBody: String(41000000 + n) });
const GRANT = 'mutation($input: GrantFinancialAuthorisationInput!) { grantFinancialAuthorisation(input: $input) { id } }';
const BANK = 'cli_bank_plugin';

const SIGNING_KEY = crypto.randomBytes(32).toString('base64url');

describe('subject-authorisation plugin', () => {
  let office: SubgraphUnderTest;
  let plugins: Parameters<typeof send>[0];

  beforeAll(async () => {
    // The credit office serves its internal endpoints to callers signed with IDENTITY_SIGNING_KEY.
    process.env.IDENTITY_SIGNING_KEY = SIGNING_KEY;
    office = await startSubgraph(creditSubgraph, { identityKey: SIGNING_KEY });
    await office.app.listen({ host: '127.0.0.1', port: 0 });
    const creditUrl = `http://127.0.0.1:${(office.app.server.address() as AddressInfo).port}/graphql`;
    const nextYear = `${Number(todayInChina().slice(0, 4)) + 1}${todayInChina().slice(4)}`;
    const grant = await office.graphql(GRANT, { input: { subjectCode: code(1), clientId: BANK, validUntil: nextYear, idempotencyKey: 'plugin-grant-1' } }, { as: { role: 'CREDIT_OFFICE' } });
    expect(grant.errors).toBeUndefined();
    plugins = [
      credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }),
      parseValidatePlugin({ schema: () => schema }),
      subjectAuthorisationPlugin({ authorisedSubjects: remoteAuthorisationLookup({ creditUrl, signingKey: SIGNING_KEY, logger }) }),
      fieldAccessPlugin({ schema: () => schema, policies: accessPolicies(SDL) }),
    ];
  }, 60_000);
  afterAll(() => office?.close());

  it('answers the figures under the subject that authorised the bank and FORBIDDEN under the others, aliased, batched or through a fragment', async () => {
    const query = `query($a: ID!, $b: ID!) {
  first: subject(code: $a) { tax { ...Figures } }
  second: subject(code: $b) { tax { ...Figures } }
  both: subjects(codes: [$a, $b]) { tax { amount } }
}
fragment Figures on TaxProfile { amount }`;
    const { body } = await send(plugins, { query, variables: { a: code(1).toLowerCase(), b: code(2) } }, await bearer('FINANCIAL_INSTITUTION', BANK));
    expect(body.data).toEqual({ first: { tax: { amount: 12.5 } }, second: { tax: { amount: null } }, both: [{ tax: { amount: 1 } }, { tax: { amount: null } }] });
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([
      ['second', 'tax', 'amount'],
      ['both', 1, 'tax', 'amount'],
    ]);
  });

  it('asks no department for the detail when no named subject authorised the bank, and another bank gets nothing of the first’s', async () => {
    for (const client of [BANK, 'cli_other_bank']) {
      const subjects = client === BANK ? [code(2), code(3)] : [code(1)];
      const { body } = await send(plugins, { query: 'query($c: [ID!]!) { subjects(codes: $c) { code tax { amount } } }', variables: { c: subjects } }, await bearer('FINANCIAL_INSTITUTION', client));
      expect(executions.documents.at(-1)).not.toMatch(/amount/);
      expect(body.data.subjects.map((s: { tax: unknown }) => s.tax)).toEqual(subjects.map(() => ({ amount: null })));
      expect(body.errors).toHaveLength(subjects.length);
    }
  });

  it('leaves other roles alone', async () => {
    const { body } = await send(plugins, { query: `{ subject(code: "${code(2)}") { tax { amount } } }` }, await bearer('CREDIT_OFFICE'));
    expect(body).toEqual({ data: { subject: { tax: { amount: 12.5 } } } });
  });
});
