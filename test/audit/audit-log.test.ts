/**
 * The audit log in the credit office's database:
 * the hash chain after many appends, tampering detected at the right entry,
 * re-delivery stored once, the internal endpoint over real HTTP (who may
 * call it, what it refuses), and the GraphQL queries.
 */
import type { AddressInfo } from 'node:net';
import { creditSubgraph } from '../../subgraphs/credit';
import { appendAuditEntries, auditEntryHash, verifyAuditChain } from '../../subgraphs/credit/audit';
import { AUDIT_PATH } from '../../subgraphs/credit/audit-routes';
import { IDENTITY_HEADER, signIdentity, type ForwardedIdentity } from '../../lib/auth/identity-header';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';
import { auditEntries, auditEntry, SIGNING_KEY, subjectCode } from './fixtures';

process.env.IDENTITY_SIGNING_KEY = SIGNING_KEY;

const GATEWAY: ForwardedIdentity = { clientId: 'gateway', role: 'GATEWAY', scopes: [], purpose: null, requestId: 'r-1' };

describe('audit log', () => {
  let subgraph: SubgraphUnderTest;
  let url: string;

  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
    await subgraph.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(subgraph.app.server.address() as AddressInfo).port}${AUDIT_PATH}`;
  });
  afterAll(() => subgraph?.close());

  /** What the gateway signs for one delivery: the credit subgraph, POST /internal/audit, these bytes. */
  const delivery = (text: string, at?: number, key = SIGNING_KEY, who: ForwardedIdentity = GATEWAY) =>
    signIdentity(who, key, { audience: 'credit', method: 'POST', target: AUDIT_PATH, body: text }, at);
  /** POSTs a body signed for it (or with the identity `sign` makes of its text, or none). */
  const post = (body: unknown, sign: ((text: string) => string) | null = (text) => delivery(text)) => {
    const text = JSON.stringify(body);
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sign !== null ? { [IDENTITY_HEADER]: sign(text) } : {}) },
      body: text,
    });
  };

  async function count(): Promise<number> {
    const [row] = await subgraph.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry');
    return row!.n;
  }

  describe('the hash chain', () => {
    it('verifies after many appends, in batches and concurrently', async () => {
      const before = await count();
      await appendAuditEntries(subgraph.db, auditEntries(700));
      // Concurrent batches are serialised by the advisory lock: no fork.
      await Promise.all(Array.from({ length: 8 }, () => appendAuditEntries(subgraph.db, auditEntries(60))));
      for (let i = 0; i < 20; i++) await appendAuditEntries(subgraph.db, auditEntries(1));
      expect(await count()).toBe(before + 700 + 480 + 20);
      const result = await verifyAuditChain(subgraph.db, { pageSize: 97 });
      expect(result).toMatchObject({ ok: true, entries: before + 1200 });

      // Each entry links to the one before; the first links to nothing.
      const rows = await subgraph.db.query<{ seq: string; prev_hash: string | null; hash: string }>('SELECT seq::text AS seq, prev_hash, hash FROM audit_entry ORDER BY audit_entry.seq');
      expect(rows[0]!.prev_hash).toBeNull();
      rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i]!.hash));
      expect(result.ok && result.headHash).toBe(rows[rows.length - 1]!.hash);
    });

    it('verifies a range, checking its link to the entry before it', async () => {
      const rows = await subgraph.db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_entry ORDER BY audit_entry.seq LIMIT 3 OFFSET 100');
      const result = await verifyAuditChain(subgraph.db, { from: rows[0]!.seq, to: rows[2]!.seq });
      expect(result).toMatchObject({ ok: true, entries: 3, headSeq: rows[2]!.seq });
    });

    it('stores a re-delivered entry once, and a batch naming an entry twice stores it once', async () => {
      const batch = auditEntries(25);
      expect(await appendAuditEntries(subgraph.db, batch)).toEqual({ stored: 25, duplicates: 0 });
      expect(await appendAuditEntries(subgraph.db, batch)).toEqual({ stored: 0, duplicates: 25 });
      const fresh = auditEntries(5);
      // Half old, half new, one named twice (upper-case UUID: the same id).
      const mixed = [...batch.slice(0, 5), ...fresh, { ...fresh[0]!, entryId: fresh[0]!.entryId.toUpperCase() }];
      expect(await appendAuditEntries(subgraph.db, mixed)).toEqual({ stored: 5, duplicates: 6 });
      const ids = [...batch, ...fresh].map((e) => e.entryId);
      const [row] = await subgraph.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry WHERE entry_id = ANY($1::uuid[])', [ids]);
      expect(row!.n).toBe(30);
      expect((await verifyAuditChain(subgraph.db)).ok).toBe(true);
    });

    it('hashes what an independent verifier computes: sha256(prev_hash || canonical JSON)', async () => {
      const [row] = await subgraph.db.query<any>(
        `SELECT seq::text AS seq, entry_id::text AS "entryId", at, request_id AS "requestId", client_id AS "clientId", role, purpose,
                operation_name AS "operationName", subjects, field_groups AS "fieldGroups", outcome, prev_hash AS "prevHash", hash
           FROM audit_entry ORDER BY audit_entry.seq DESC LIMIT 1`,
      );
      expect(auditEntryHash(row.prevHash, row.seq, { ...row, at: new Date(row.at).toISOString() })).toBe(row.hash);
    });

    it('hashes the client\'s request id, the address and the count only when an entry has them, so older entries keep their hashes', async () => {
      const plain = auditEntry();
      const { clientRequestId: _c, sourceAddress: _s, count: _n, ...older } = { ...plain, clientRequestId: null, sourceAddress: null, count: 1 };
      expect(auditEntryHash(null, '1', plain)).toBe(auditEntryHash(null, '1', older as typeof plain));
      const aggregate = auditEntry({ clientRequestId: 'bank-7', sourceAddress: '192.0.2.1', count: 40, outcome: 'UNAUTHENTICATED' });
      await appendAuditEntries(subgraph.db, [aggregate]);
      expect((await verifyAuditChain(subgraph.db)).ok).toBe(true);
      const [stored] = await subgraph.db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_entry WHERE entry_id = $1', [aggregate.entryId]);
      // Each of the three is covered by the hash: a count lowered by hand breaks the chain there.
      await subgraph.db.transaction(async (tx) => {
        await tx.exec('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
        await tx.query('UPDATE audit_entry SET request_count = 1 WHERE seq = $1', [stored!.seq]);
        await tx.exec('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
      });
      expect(await verifyAuditChain(subgraph.db, { from: stored!.seq, to: stored!.seq })).toMatchObject({ ok: false, brokenAt: stored!.seq });
      await subgraph.db.transaction(async (tx) => {
        await tx.exec('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
        await tx.query('UPDATE audit_entry SET request_count = 40 WHERE seq = $1', [stored!.seq]);
        await tx.exec('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
      });
      expect((await verifyAuditChain(subgraph.db)).ok).toBe(true);
      const read = await subgraph.graphql(`{ auditLog(filter: { outcome: "UNAUTHENTICATED" }, first: 1) { nodes { clientRequestId sourceAddress count } } }`, undefined, { as: { role: 'CREDIT_OFFICE' } });
      expect(read.data.auditLog.nodes[0]).toEqual({ clientRequestId: 'bank-7', sourceAddress: '192.0.2.1', count: 40 });
    });
  });

  describe('append-only', () => {
    it('refuses UPDATE, DELETE and TRUNCATE', async () => {
      await expect(subgraph.db.query("UPDATE audit_entry SET outcome = 'OK'")).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(subgraph.db.query('DELETE FROM audit_entry WHERE seq = 1')).rejects.toThrow(/append-only: DELETE refused/);
      await expect(subgraph.db.query('TRUNCATE audit_entry')).rejects.toThrow(/append-only: TRUNCATE refused/);
      expect((await verifyAuditChain(subgraph.db)).ok).toBe(true);
    });

    it('detects a change made with the trigger disabled, at the changed entry', async () => {
      const [target] = await subgraph.db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_entry ORDER BY audit_entry.seq OFFSET 57 LIMIT 1');
      await subgraph.db.transaction(async (tx) => {
        // What a superuser (or the table's owner) can do: the trigger is no protection against them.
        await tx.exec('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
        await tx.query("UPDATE audit_entry SET purpose = 'nothing to see' WHERE seq = $1", [target!.seq]);
        await tx.exec('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
      });
      const result = await verifyAuditChain(subgraph.db, { pageSize: 10 });
      expect(result).toMatchObject({ ok: false, brokenAt: target!.seq, entries: 57 });
      expect(!result.ok && result.reason).toMatch(/does not match its contents/);

      const status = await subgraph.graphql('{ auditChainStatus { ok entries brokenAt reason headHash } }');
      expect(status.data.auditChainStatus).toMatchObject({ ok: false, entries: 57, brokenAt: target!.seq, headHash: null });

      // Recomputing the hash to match is not enough: the next entry no longer links to it.
      await subgraph.db.transaction(async (tx) => {
        await tx.exec('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
        const [row] = await tx.query<any>(
          `SELECT seq::text AS seq, entry_id::text AS "entryId", to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
                  request_id AS "requestId", client_id AS "clientId", role, purpose, operation_name AS "operationName",
                  subjects, field_groups AS "fieldGroups", outcome, prev_hash AS "prevHash" FROM audit_entry WHERE seq = $1`,
          [target!.seq],
        );
        await tx.query('UPDATE audit_entry SET hash = $2 WHERE seq = $1', [target!.seq, auditEntryHash(row.prevHash, row.seq, row)]);
        await tx.exec('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
      });
      const relinked = await verifyAuditChain(subgraph.db);
      expect(relinked.ok).toBe(false);
      const [next] = await subgraph.db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_entry WHERE seq > $1 ORDER BY audit_entry.seq LIMIT 1', [target!.seq]);
      expect(relinked).toMatchObject({ brokenAt: next!.seq });
      expect(!relinked.ok && relinked.reason).toMatch(/does not link to the entry before it/);
    });

    it('detects an entry removed with the trigger disabled, at the entry after it', async () => {
      // A fresh chain in this test's own view: verify only what comes after the earlier tampering.
      await appendAuditEntries(subgraph.db, auditEntries(10));
      const rows = await subgraph.db.query<{ seq: string }>('SELECT seq::text AS seq FROM audit_entry ORDER BY audit_entry.seq DESC LIMIT 10');
      const ordered = rows.reverse();
      expect(await verifyAuditChain(subgraph.db, { from: ordered[0]!.seq })).toMatchObject({ ok: true, entries: 10 });
      await subgraph.db.transaction(async (tx) => {
        await tx.exec('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
        await tx.query('DELETE FROM audit_entry WHERE seq = $1', [ordered[4]!.seq]);
        await tx.exec('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
      });
      expect(await verifyAuditChain(subgraph.db, { from: ordered[0]!.seq })).toMatchObject({ ok: false, brokenAt: ordered[5]!.seq, entries: 4 });
    });
  });

  describe(`POST ${AUDIT_PATH}`, () => {
    it('stores a batch from the gateway and counts a re-delivery as duplicates', async () => {
      const entries = auditEntries(30);
      const first = await post({ entries });
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ stored: 30, duplicates: 0 });
      const again = await post({ entries });
      expect(await again.json()).toEqual({ stored: 0, duplicates: 30 });
    });

    it('refuses a missing, forged, expired or malformed identity, and any role but GATEWAY', async () => {
      const before = await count();
      const entries = auditEntries(2);
      const captured = delivery(JSON.stringify({ entries: auditEntries(1) }));
      const refusals: [((text: string) => string) | null, string][] = [
        [null, 'MISSING'],
        [(text) => delivery(text, undefined, 'another-key-0123456789abcdef0123456789'), 'BAD_SIGNATURE'],
        [(text) => delivery(text, Date.now() - 10 * 60_000), 'EXPIRED'],
        [() => 'not-a-token', 'MALFORMED'],
        [(text) => delivery(text, undefined, SIGNING_KEY, { ...GATEWAY, role: 'CREDIT_OFFICE' }), 'NOT_GATEWAY'],
        [(text) => delivery(text, undefined, SIGNING_KEY, { ...GATEWAY, role: 'PUBLIC', clientId: null }), 'NOT_GATEWAY'],
        // A header captured from another delivery appends nothing else.
        [() => captured, 'WRONG_BODY'],
        [(text) => signIdentity(GATEWAY, SIGNING_KEY, { audience: 'credit', method: 'POST', target: '/internal/credentials/api-key', body: text }), 'WRONG_TARGET'],
        [(text) => signIdentity(GATEWAY, SIGNING_KEY, { audience: 'market', method: 'POST', target: AUDIT_PATH, body: text }), 'WRONG_AUDIENCE'],
      ];
      for (const [identity, reason] of refusals) {
        const response = await post({ entries }, identity);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: 'UNAUTHENTICATED', reason });
      }
      expect(await count()).toBe(before);
    });

    it('takes a signed delivery once: the same request sent again is refused as replayed', async () => {
      const text = JSON.stringify({ entries: auditEntries(1) });
      const identity = delivery(text);
      const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity }, body: text });
      expect((await send()).status).toBe(200);
      const again = await send();
      expect(again.status).toBe(401);
      expect(await again.json()).toMatchObject({ error: 'UNAUTHENTICATED', reason: 'REPLAYED' });
    });

    it('refuses a batch with any invalid entry, naming each problem, and stores none of it', async () => {
      const before = await count();
      const good = auditEntries(3);
      const cases: [unknown, RegExp][] = [
        [{ entries: [...good, { ...auditEntry(), entryId: 'nope' }] }, /entries\[3\]: entryId must be a UUID/],
        [{ entries: [{ ...auditEntry(), at: '2026-05-01 08:00' }] }, /entries\[0\]: at must be an ISO-8601 date-time/],
        [{ entries: [{ ...auditEntry(), role: 'admin' }] }, /role must be an UPPER_CASE role name/],
        [{ entries: [{ ...auditEntry(), subjects: 'X' }] }, /subjects must be an array/],
        [{ entries: [{ ...auditEntry(), subjects: [1] }] }, /subjects\[0\] must be a code/],
        [{ entries: [{ ...auditEntry(), fieldGroups: ['Tax Detail'] }] }, /fieldGroups\[0\] must be a lower-case name/],
        [{ entries: [{ ...auditEntry(), outcome: undefined }] }, /outcome must be an UPPER_CASE code/],
        [{ entries: [{ ...auditEntry(), requestId: '' }] }, /requestId must be 1 to 200 characters/],
        [{ entries: [{ ...auditEntry(), extra: 1 }] }, /unknown field extra/],
        [{ entries: [null] }, /entries\[0\] must be an object/],
        [{ entry: [] }, /the body must be a JSON object \{ "entries"/],
        [[], /the body must be a JSON object/],
        [{ entries: auditEntries(1001) }, /at most 1000 entries/],
      ];
      for (const [body, message] of cases) {
        const response = await post(body);
        expect(response.status).toBe(400);
        const json = (await response.json()) as { message: string; problems: string[] };
        expect(json.problems.join('\n')).toMatch(message);
        expect(json.message).toMatch(/nothing stored/);
      }
      // Every problem of a batch at once.
      const several = await post({ entries: [{ ...auditEntry(), role: 'x' }, { ...auditEntry(), outcome: 'ok' }] });
      expect(((await several.json()) as { problems: string[] }).problems).toHaveLength(2);
      expect(await count()).toBe(before);
    });

    it('is not served without a signing key', async () => {
      const key = process.env.IDENTITY_SIGNING_KEY;
      delete process.env.IDENTITY_SIGNING_KEY;
      const bare = await startSubgraph(creditSubgraph);
      try {
        const response = await bare.app.inject({ method: 'POST', url: AUDIT_PATH, payload: { entries: [] } });
        expect(response.statusCode).toBe(404);
      } finally {
        process.env.IDENTITY_SIGNING_KEY = key;
        await bare.close();
      }
    });
  });

  describe('queries', () => {
    const BANK = 'bank-7f3a';
    const target = subjectCode(900);
    const other = subjectCode(901);
    let seeded: ReturnType<typeof auditEntries>;

    beforeAll(async () => {
      seeded = [
        auditEntry({ clientId: BANK, role: 'FINANCIAL_INSTITUTION', purpose: 'loan-2026-11', subjects: [target], fieldGroups: ['tax'], outcome: 'OK', at: '2026-06-01T02:00:00.000Z' }),
        auditEntry({ clientId: BANK, role: 'FINANCIAL_INSTITUTION', purpose: 'loan-2026-12', subjects: [other, target], fieldGroups: ['tax', 'courts'], outcome: 'PARTIAL', at: '2026-06-02T02:00:00.000Z' }),
        auditEntry({ clientId: 'approvals-1', role: 'APPROVAL_SYSTEM', purpose: 'licence-9', subjects: [other], fieldGroups: ['checks'], outcome: 'OK', at: '2026-06-02T20:00:00.000Z' }),
        auditEntry({ clientId: null, role: 'PUBLIC', purpose: null, subjects: [target], fieldGroups: ['lists'], outcome: 'FORBIDDEN', at: '2026-06-03T02:00:00.000Z' }),
      ];
      await appendAuditEntries(subgraph.db, seeded);
    });

    const AUDIT_LOG = `query($filter: AuditLogFilter, $first: Int, $after: String) {
      auditLog(filter: $filter, first: $first, after: $after) { nodes { seq entryId at clientId role purpose subjects fieldGroups outcome hash prevHash } endCursor hasNextPage } }`;

    async function log(filter: Record<string, unknown>, first = 50, after?: string) {
      const result = await subgraph.graphql(AUDIT_LOG, { filter, first, after });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data.auditLog as { nodes: any[]; endCursor: string | null; hasNextPage: boolean };
    }
    const ids = (page: { nodes: any[] }) => page.nodes.map((n) => n.entryId);

    it('filters by client, role, subject, outcome and period, newest first', async () => {
      const [a, b, c, d] = seeded.map((e) => e.entryId) as [string, string, string, string];
      expect(ids(await log({ clientId: BANK }))).toEqual([b, a]);
      expect(ids(await log({ subjectCode: target }))).toEqual([d, b, a]);
      expect(ids(await log({ subjectCode: target.toLowerCase(), role: 'FINANCIAL_INSTITUTION' }))).toEqual([b, a]);
      expect(ids(await log({ subjectCode: other, outcome: 'OK' }))).toEqual([c]);
      // Instants: from inclusive, to exclusive.
      expect(ids(await log({ subjectCode: target, from: '2026-06-01T02:00:00Z', to: '2026-06-03T02:00:00Z' }))).toEqual([b, a]);
      // China dates, inclusive: 2026-06-02 in China is 2026-06-01T16:00Z to 2026-06-02T16:00Z; c (20:00Z) is the 3rd there.
      expect(ids(await log({ from: '2026-06-02', to: '2026-06-03', clientId: 'approvals-1' }))).toEqual([c]);
      expect(ids(await log({ from: '2026-06-02', to: '2026-06-02' }))).toEqual([b]);
      const [node] = (await log({ clientId: BANK }, 1)).nodes;
      expect(node).toMatchObject({ at: '2026-06-02T02:00:00.000Z', role: 'FINANCIAL_INSTITUTION', purpose: 'loan-2026-12', subjects: [other, target], fieldGroups: ['tax', 'courts'], outcome: 'PARTIAL' });
      expect(node.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('pages with a cursor', async () => {
      const first = await log({ subjectCode: target }, 2);
      expect(first.hasNextPage).toBe(true);
      const second = await log({ subjectCode: target }, 2, first.endCursor!);
      expect(second.hasNextPage).toBe(false);
      expect([...ids(first), ...ids(second)]).toEqual([seeded[3]!.entryId, seeded[1]!.entryId, seeded[0]!.entryId]);
    });

    it('refuses bad arguments with BAD_USER_INPUT', async () => {
      for (const [variables, message] of [
        [{ first: 0 }, /'first' must be between 1 and 100/],
        [{ first: 101 }, /'first' must be between 1 and 100/],
        [{ after: 'garbage' }, /not a cursor returned by auditLog/],
        [{ filter: { from: 'yesterday' } }, /'filter.from' must be an ISO-8601/],
        [{ filter: { to: '2026-02-30' } }, /'filter.to' is not a valid date/],
      ] as const) {
        const result = await subgraph.graphql(AUDIT_LOG, { ...{ first: 10 }, ...(variables as Record<string, unknown>) });
        expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
      }
    });

    it('Subject.accessLog shows who looked at the subject, and only entries naming it', async () => {
      const ACCESS = `accessLog(first: 2) { nodes { at clientId role purpose operationName fieldGroups outcome } endCursor hasNextPage }`;
      const [mine, theirs] = await subgraph.entities([target, other], ACCESS);
      expect(mine.accessLog.nodes).toEqual([
        { at: '2026-06-03T02:00:00.000Z', clientId: null, role: 'PUBLIC', purpose: null, operationName: 'Profile', fieldGroups: ['lists'], outcome: 'FORBIDDEN' },
        { at: '2026-06-02T02:00:00.000Z', clientId: BANK, role: 'FINANCIAL_INSTITUTION', purpose: 'loan-2026-12', operationName: 'Profile', fieldGroups: ['tax', 'courts'], outcome: 'PARTIAL' },
      ]);
      expect(mine.accessLog.hasNextPage).toBe(true);
      expect(theirs.accessLog.nodes.map((n: any) => n.clientId)).toEqual(['approvals-1', BANK]);
      const rest = await subgraph.graphql(`query($code: ID!, $after: String) { subject(code: $code) { accessLog(first: 5, after: $after) { nodes { purpose } hasNextPage } } }`, {
        code: target,
        after: mine.accessLog.endCursor,
      });
      expect(rest.data.subject.accessLog).toEqual({ nodes: [{ purpose: 'loan-2026-11' }], hasNextPage: false });
      const nobody = await subgraph.entities([subjectCode(999)], ACCESS);
      expect(nobody[0].accessLog).toEqual({ nodes: [], endCursor: null, hasNextPage: false });
    });
  });
});
