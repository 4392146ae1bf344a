/**
 * plugins/audit.ts against the real credit office (in-process, on
 * PostgreSQL): one entry per request, on disk before the answer, naming the
 * caller, the purpose as written, every subject (in variables, in the text,
 * in the answer), the gateway's request id with the client's beside it, and
 * the real outcome; refusals before an operation counted in aggregate; no
 * answer when the entry cannot be recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildUscc } from '../../../lib/identifiers';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { accessPolicies } from '../../../gateway/auth/field-access';
import { auditEndpoint, createAuditWriter, type AuditWriter } from '../../../gateway/audit/writer';
import { auditPlugin } from '../../../gateway/plugins/audit';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { fieldAccessPlugin } from '../../../gateway/plugins/field-access';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { purposePlugin } from '../../../gateway/plugins/purpose';
import { requestIdPlugin } from '../../../gateway/plugins/request-id';
import { creditSubgraph } from '../../../subgraphs/credit';
import { startSubgraph, type SubgraphUnderTest } from '../../helpers/subgraph';
import { bearer, JWT_SECRET, logger, schema, SDL, send } from './harness';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '440106', organisationBody: String(61000000 + n) });

const SIGNING_KEY = crypto.randomBytes(32).toString('base64url');

interface Row {
  request_id: string;
  client_request_id: string | null;
  source_address: string | null;
  request_count: number;
  client_id: string | null;
  role: string;
  purpose: string | null;
  operation_name: string | null;
  subjects: string[];
  field_groups: string[];
  outcome: string;
}

describe('audit plugin', () => {
  let office: SubgraphUnderTest;
  let writer: AuditWriter;
  let plugins: Parameters<typeof send>[0];
  let journalDir: string;

  beforeAll(async () => {
    // The credit office serves its internal endpoints to callers signed with IDENTITY_SIGNING_KEY.
    process.env.IDENTITY_SIGNING_KEY = SIGNING_KEY;
    office = await startSubgraph(creditSubgraph, { identityKey: SIGNING_KEY });
    await office.app.listen({ host: '127.0.0.1', port: 0 });
    const url = auditEndpoint(`http://127.0.0.1:${(office.app.server.address() as AddressInfo).port}/graphql`);
    journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-audit-plugin-'));
    writer = createAuditWriter({ url, signingKey: SIGNING_KEY, logger, flushIntervalMs: 20, journalDir, aggregateWindowMs: 200 });
    plugins = [
      requestIdPlugin(),
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
    fs.rmSync(journalDir, { recursive: true, force: true });
  });

  async function entryOf(requestId: string): Promise<Row> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [row] = await office.db.query<Row>(
        `SELECT request_id, client_request_id, source_address, request_count, client_id, role, purpose, operation_name, subjects, field_groups, outcome
           FROM audit_entry WHERE request_id = $1`,
        [requestId],
      );
      if (row) return row;
      if (Date.now() > deadline) throw new Error(`no audit entry for ${requestId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('records who asked about whom and why: subjects in variables and in the text (any case); the purpose as written; both request ids', async () => {
    const headers = { ...(await bearer('APPROVAL_SYSTEM', 'licensing-9')), 'x-purpose': Buffer.from('许可 2026-0042').toString('latin1'), 'x-request-id': 'licence-0042' };
    const { request, headers: answered } = await send(
      plugins,
      { query: `query Check($c: ID!) { subject(code: $c) { code } other: subject(code: "${code(2)}") { name } records(code: "${code(3).toLowerCase()}") { id } }`, variables: { c: code(1) } },
      headers,
      { ip: '198.51.100.1' },
    );
    expect(request.id).not.toBe('licence-0042');
    expect(answered['x-request-id']).toBe(request.id);
    expect(await entryOf(request.id)).toEqual({
      request_id: request.id,
      client_request_id: 'licence-0042',
      source_address: '198.51.100.1',
      request_count: 1,
      client_id: 'licensing-9',
      role: 'APPROVAL_SYSTEM',
      purpose: '许可 2026-0042',
      operation_name: 'Check',
      subjects: expect.arrayContaining([code(1), code(2), code(3)]),
      field_groups: [],
      outcome: 'OK',
    });
  });

  it('has the entry on disk before the answer is sent', async () => {
    const { request } = await send(plugins, { query: `{ subject(code: "${code(9)}") { code } }` });
    const lines = fs.readdirSync(journalDir).filter((f) => f.startsWith('journal-')).flatMap((f) => fs.readFileSync(path.join(journalDir, f), 'utf8').split('\n'));
    expect(lines.some((line) => line.includes(request.id))).toBe(true);
  });

  it('records the real outcome: FORBIDDEN when nothing was answered for it, PARTIAL when some was, the input error when it was one', async () => {
    const forbidden = await send(plugins, { query: `{ subject(code: "${code(4)}") { tax { amount } } }` });
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await entryOf(forbidden.request.id)).outcome).toBe('FORBIDDEN');
    const partial = await send(plugins, { query: `{ subject(code: "${code(3)}") { code tax { amount } } }` });
    expect(await entryOf(partial.request.id)).toEqual(expect.objectContaining({ role: 'PUBLIC', client_id: null, subjects: [code(3)], outcome: 'PARTIAL' }));
    const invalid = await send(plugins, { query: '{ nope }' });
    expect((await entryOf(invalid.request.id)).outcome).toBe('BAD_USER_INPUT');
  });

  it('counts refusals before an operation into one entry per address and minute, with the subjects they named', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const refused = await send(plugins, { query: `{ subject(code: "${code(5)}") { code } }` }, { authorization: 'Bearer not-a-token' }, { ip: '192.0.2.77' });
      expect(refused.status).toBe(401);
      ids.push(refused.request.id);
    }
    const aggregate = await entryOf(ids[0]!);
    expect(aggregate).toEqual(expect.objectContaining({ outcome: 'UNAUTHENTICATED', source_address: '192.0.2.77', request_count: 7, subjects: [code(5)] }));
    const [{ n }] = (await office.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_entry WHERE source_address = '192.0.2.77'")) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('withholds the answer when the entry cannot be recorded', async () => {
    const closed = createAuditWriter({ url: 'http://127.0.0.1:9/internal/audit', signingKey: SIGNING_KEY, logger, journalDir: path.join(journalDir, 'closed') });
    await closed.close();
    const { status, body, text } = await send([parseValidatePlugin({ schema: () => schema }), auditPlugin({ audit: closed })], { query: `{ subject(code: "${code(6)}") { name } }` });
    expect(status).toBe(503);
    expect(body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(text).not.toContain('name of');
  });
});
