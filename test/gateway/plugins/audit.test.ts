/**
 * plugins/audit.ts against the real credit office (in-process, on
 * PostgreSQL): one entry per request, refused ones included, naming the
 * caller, the purpose, every subject (in variables and in the text) and the outcome.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildUscc } from '../../../lib/identifiers';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { accessPolicies } from '../../../gateway/auth/field-access';
import { auditEndpoint, createAuditWriter, type AuditWriter } from '../../../gateway/audit/writer';
import { auditPlugin } from '../../../gateway/plugins/audit';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { fieldAccessPlugin } from '../../../gateway/plugins/field-access';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { purposePlugin } from '../../../gateway/plugins/purpose';
import { creditSubgraph } from '../../../subgraphs/credit';
import { startSubgraph, type SubgraphUnderTest } from '../../helpers/subgraph';
import { bearer, JWT_SECRET, logger, schema, SDL, send } from './harness';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '440106', organisationBody: String(61000000 + n) });

const SIGNING_KEY = crypto.randomBytes(32).toString('base64url');

describe('audit plugin', () => {
  let office: SubgraphUnderTest;
  let writer: AuditWriter;
  let plugins: Parameters<typeof send>[0];

  beforeAll(async () => {
    // The credit office serves its internal endpoints to callers signed with IDENTITY_SIGNING_KEY.
    process.env.IDENTITY_SIGNING_KEY = SIGNING_KEY;
    office = await startSubgraph(creditSubgraph, { identityKey: SIGNING_KEY });
    await office.app.listen({ host: '127.0.0.1', port: 0 });
    const url = auditEndpoint(`http://127.0.0.1:${(office.app.server.address() as AddressInfo).port}/graphql`);
    writer = createAuditWriter({ url, signingKey: SIGNING_KEY, logger, flushIntervalMs: 20, spoolDir: `/tmp/cg-audit-plugin-${crypto.randomUUID()}` });
    plugins = [
      credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }),
      purposePlugin(),
      parseValidatePlugin({ schema: () => schema }),
      fieldAccessPlugin({ schema: () => schema, policies: accessPolicies(SDL) }),
      auditPlugin({ audit: writer }),
    ];
  }, 60_000);
  afterAll(async () => {
    await writer?.close();
    await office?.close();
  });

  async function entryOf(requestId: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [row] = await office.db.query<{ client_id: string | null; role: string; purpose: string | null; operation_name: string | null; subjects: string[]; outcome: string }>(
        'SELECT client_id, role, purpose, operation_name, subjects, outcome FROM audit_entry WHERE request_id = $1',
        [requestId],
      );
      if (row) return row;
      if (Date.now() > deadline) throw new Error(`no audit entry for ${requestId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('records who asked about whom and why, with every subject the request names', async () => {
    const headers = { ...(await bearer('APPROVAL_SYSTEM', 'licensing-9')), 'x-purpose': 'licence 2026-0099' };
    const { request } = await send(plugins, { query: `query Check($c: ID!) { subject(code: $c) { code } other: subject(code: "${code(2)}") { name } }`, variables: { c: code(1) } }, headers);
    expect(await entryOf(request.id)).toEqual({ client_id: 'licensing-9', role: 'APPROVAL_SYSTEM', purpose: 'licence 2026-0099', operation_name: 'Check', subjects: [code(1), code(2)], outcome: 'OK' });
  });

  it('records refused and partly forbidden requests with their outcome', async () => {
    const refused = await send(plugins, { query: '{ __typename }' }, { authorization: 'Bearer not-a-token' });
    expect((await entryOf(refused.request.id)).outcome).toBe('UNAUTHENTICATED');
    const partial = await send(plugins, { query: `{ subject(code: "${code(3)}") { tax { amount } } }` });
    expect(await entryOf(partial.request.id)).toEqual(expect.objectContaining({ role: 'PUBLIC', client_id: null, subjects: [code(3)], outcome: 'PARTIAL' }));
    const invalid = await send(plugins, { query: '{ nope }' });
    expect((await entryOf(invalid.request.id)).outcome).toBe('BAD_USER_INPUT');
  });
});
