/**
 * The gateway's audit writer against the real credit subgraph over HTTP:
 * each entry on disk (the journal, in grouped writes) before record()
 * resolves, delivered in batches, retried while the credit office is down,
 * recovered from the journal by the next process after a SIGKILL — exactly
 * the entries that were recorded, once each — refusals counted into
 * aggregate entries, and whatever the pipeline recorded wrongly put aside.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { creditSubgraph } from '../../subgraphs/credit';
import { verifyAuditChain } from '../../subgraphs/credit/audit';
import { auditEndpoint, createAuditWriter, type AuditRecord, type AuditWriter, type AuditWriterOptions } from '../../gateway/audit/writer';
import { createLogger } from '../../lib/logger';
import { ROOT_DIR } from '../../lib/config';
import { startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';
import { freePorts } from '../helpers/ports';
import { SIGNING_KEY, subjectCode } from './fixtures';

process.env.IDENTITY_SIGNING_KEY = SIGNING_KEY;

const logger = createLogger('test-audit-writer', 'silent');

let n = 0;
const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  requestId: `w-${++n}`,
  clientId: 'bank-1',
  role: 'FINANCIAL_INSTITUTION',
  purpose: `loan-${n}`,
  operationName: 'Profile',
  subjects: [subjectCode(n % 5).toLowerCase()],
  fieldGroups: ['tax'],
  outcome: 'OK',
  ...overrides,
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const journalFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^journal-.*\.jsonl$/.test(f)) : []);
const journaled = (dir: string) => journalFiles(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));

describe('the audit writer', () => {
  let port: number;
  let url: string;
  let office: SubgraphUnderTest | undefined;
  let workDir: string;
  const writers: AuditWriter[] = [];

  /** The credit subgraph on its fixed port (a restart keeps the database: the same db handle is reused only within one start). */
  async function officeUp(): Promise<SubgraphUnderTest> {
    office = await startSubgraph(creditSubgraph);
    await office.app.listen({ host: '127.0.0.1', port });
    return office;
  }

  const journalDir = (name: string) => path.join(workDir, name);
  const writer = (options: Partial<AuditWriterOptions> = {}) => {
    const w = createAuditWriter({
      url,
      signingKey: SIGNING_KEY,
      logger,
      journalDir: journalDir(crypto.randomUUID()),
      batchSize: 10,
      flushIntervalMs: 50,
      minBackoffMs: 50,
      maxBackoffMs: 200,
      closeTimeoutMs: 500,
      ...options,
    });
    writers.push(w);
    return w;
  };

  async function storedIds(): Promise<string[]> {
    return (await office!.db.query<{ id: string }>('SELECT entry_id::text AS id FROM audit_entry ORDER BY seq')).map((r) => r.id);
  }

  async function storedEntries(): Promise<{ operationName: string | null; purpose: string | null; clientRequestId: string | null }[]> {
    return office!.db.query('SELECT operation_name AS "operationName", purpose, client_request_id AS "clientRequestId" FROM audit_entry ORDER BY seq');
  }

  beforeAll(async () => {
    [port] = (await freePorts(1)) as [number];
    url = auditEndpoint(`http://127.0.0.1:${port}/graphql`);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-audit-writer-'));
  });
  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.close()));
    await office?.close();
    office = undefined;
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('has each entry on disk when record() resolves, grouping concurrent entries into few writes', async () => {
    const dir = journalDir('durable');
    const w = writer({ journalDir: dir, flushIntervalMs: 60_000 });
    const one = record({ entryId: crypto.randomUUID() });
    await w.record(one);
    expect(journaled(dir).some((line) => line.includes(one.entryId!))).toBe(true);
    // A burst, as concurrent requests make it: every entry on disk, in far fewer flushes than entries.
    const burst = Array.from({ length: 500 }, () => record({ entryId: crypto.randomUUID() }));
    const before = w.stats().journalWrites;
    await Promise.all(burst.map((entry) => w.record(entry)));
    const lines = journaled(dir);
    expect(burst.every((entry) => lines.some((line) => line.includes(entry.entryId!)))).toBe(true);
    expect(w.stats().journalWrites - before).toBeLessThan(50);
  });

  it('delivers in batches, by size and by time, and removes what it delivered', async () => {
    await officeUp();
    const dir = journalDir('batches');
    const w = writer({ journalDir: dir, batchSize: 25, flushIntervalMs: 100 });
    await Promise.all(Array.from({ length: 1010 }, () => w.record(record())));
    await until(() => w.stats().delivered === 1010);
    // A lone entry goes out after flushIntervalMs, not when a batch fills.
    await w.record(record({ entryId: '00000000-0000-4000-8000-000000000001', at: new Date('2026-05-01T00:00:00Z'), clientRequestId: 'bank-req-7', sourceAddress: '198.51.100.4' }));
    await until(() => w.stats().delivered === 1011);
    const ids = await storedIds();
    expect(ids).toHaveLength(1011);
    expect(ids[1010]).toBe('00000000-0000-4000-8000-000000000001');
    const [stored] = await office!.db.query<{ subjects: string[]; at: Date; client_request_id: string; source_address: string; request_count: number }>(
      "SELECT subjects, at, client_request_id, source_address, request_count FROM audit_entry WHERE entry_id = '00000000-0000-4000-8000-000000000001'",
    );
    // Codes normalised to upper case at the source, so Subject.accessLog finds them.
    expect(stored!.subjects[0]).toMatch(/^[0-9A-Z]{18}$/);
    expect(stored!.at.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(stored).toMatchObject({ client_request_id: 'bank-req-7', source_address: '198.51.100.4', request_count: 1 });
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
    expect(w.stats()).toMatchObject({ recorded: 1011, delivered: 1011, failures: 0 });
    // Once the segment is closed it is removed: close() seals and delivers it.
    await w.close();
    expect(journalFiles(dir)).toEqual([]);
  });

  it('retries while the credit office is down and delivers when it comes back', async () => {
    const w = writer();
    await Promise.all(Array.from({ length: 23 }, () => w.record(record())));
    await until(() => w.stats().failures >= 2);
    expect(w.stats().delivered).toBe(0);
    await officeUp();
    await until(() => w.stats().delivered === 23);
    expect(await storedIds()).toHaveLength(23);
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
  });

  it('after a SIGKILL, the next process delivers exactly the entries whose record() had resolved, and the refusals counted', async () => {
    const dir = journalDir('killed');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'journal-child.ts'), dir, url, '200', '37'], { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const recorded: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let at;
        while ((at = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          const match = /^recorded (\S+)$/.exec(line);
          if (match) recorded.push(match[1]!);
          if (line === 'done') {
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`journal child exited early (${code}): ${stderr}`));
      });
    });
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
    expect(recorded).toHaveLength(200);

    await officeUp();
    const next = writer({ journalDir: dir });
    await until(() => next.stats().abandoned === 0 && next.stats().delivered >= 201);
    const rows = await office!.db.query<{ id: string; request_count: number; outcome: string; source_address: string | null }>(
      'SELECT entry_id::text AS id, request_count, outcome, source_address FROM audit_entry ORDER BY seq',
    );
    const entries = rows.filter((r) => r.outcome === 'OK');
    expect(entries.map((r) => r.id).sort()).toEqual([...recorded].sort());
    // The aggregate never closed in the killed process: its last snapshot stands for it, once.
    expect(rows.filter((r) => r.outcome === 'UNAUTHENTICATED')).toEqual([expect.objectContaining({ request_count: 37, source_address: '203.0.113.9' })]);
    expect(journalFiles(dir)).toEqual([]);
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
  }, 60_000);

  it('counts refusals into one entry per address, client and outcome per window, with the subjects they named', async () => {
    await officeUp();
    const w = writer({ aggregateWindowMs: 300 });
    const refusal = (address: string, outcome: string, subjects: string[] = []) =>
      w.recordRefusal({ requestId: crypto.randomUUID(), sourceAddress: address, clientId: null, role: 'PUBLIC', purpose: null, operationName: null, subjects, fieldGroups: [], outcome });
    await Promise.all(Array.from({ length: 50 }, (_, i) => refusal('192.0.2.1', 'UNAUTHENTICATED', i === 7 ? [subjectCode(1)] : [])));
    await Promise.all(Array.from({ length: 5 }, () => refusal('192.0.2.2', 'UNAUTHENTICATED')));
    await Promise.all(Array.from({ length: 3 }, () => refusal('192.0.2.1', 'RATE_LIMITED')));
    await until(async () => (await storedIds()).length === 3);
    const rows = await office!.db.query<{ source_address: string; outcome: string; request_count: number; subjects: string[] }>(
      'SELECT source_address, outcome, request_count, subjects FROM audit_entry ORDER BY source_address, outcome',
    );
    expect(rows).toEqual([
      { source_address: '192.0.2.1', outcome: 'RATE_LIMITED', request_count: 3, subjects: [] },
      { source_address: '192.0.2.1', outcome: 'UNAUTHENTICATED', request_count: 50, subjects: [subjectCode(1)] },
      { source_address: '192.0.2.2', outcome: 'UNAUTHENTICATED', request_count: 5, subjects: [] },
    ]);
    // A later refusal from the same address opens the next window's entry.
    await refusal('192.0.2.1', 'UNAUTHENTICATED');
    await until(async () => (await storedIds()).length === 4);
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
  });

  it('on close with the office down, keeps the journal; the next writer delivers it first', async () => {
    const dir = journalDir('close');
    const first = writer({ journalDir: dir, flushIntervalMs: 60_000 });
    const recorded = Array.from({ length: 37 }, () => record({ entryId: crypto.randomUUID() }));
    await Promise.all(recorded.map((entry) => first.record(entry)));
    await first.close();
    expect(journaled(dir).filter((line) => line.startsWith('E'))).toHaveLength(37);
    // Closing twice is harmless; a request after close is refused, not lost silently.
    await first.close();
    await expect(first.record(record())).rejects.toThrow(/closed/);

    await officeUp();
    const next = writer({ journalDir: dir });
    await until(() => next.stats().delivered === 37 && next.stats().abandoned === 0);
    expect((await storedIds()).sort()).toEqual(recorded.map((e) => e.entryId).sort());
    expect(journalFiles(dir)).toEqual([]);
  });

  it('delivers the spool files of earlier gateways, and a file delivered twice stores nothing twice', async () => {
    await officeUp();
    const spool = journalDir('legacy-spool');
    fs.mkdirSync(spool, { recursive: true });
    const entries = Array.from({ length: 12 }, () => ({ ...record(), entryId: crypto.randomUUID(), at: new Date().toISOString(), subjects: [subjectCode(3)] }));
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    fs.writeFileSync(path.join(spool, 'spool-old.jsonl'), text);
    const w = writer({ legacySpoolDirs: [spool] });
    await until(() => w.stats().delivered === 12 && w.stats().abandoned === 0);
    fs.writeFileSync(path.join(spool, 'spool-again.jsonl'), text);
    const again = writer({ legacySpoolDirs: [spool] });
    await until(() => again.stats().delivered === 12 && again.stats().abandoned === 0);
    expect(await storedIds()).toHaveLength(12);
    expect(fs.readdirSync(spool)).toEqual([]);
  });

  it('puts an entry the pipeline recorded wrongly aside instead of blocking the rest, and refuses to call it recorded', async () => {
    await officeUp();
    const dir = journalDir('rejected');
    const w = writer({ journalDir: dir });
    // The plugin answers 503 instead of the request when record() rejects: nothing unrecorded is answered.
    await expect(w.record(record({ role: 'not a role' }))).rejects.toThrow(/role/);
    await w.record(record());
    await until(() => w.stats().delivered === 1);
    await w.close();
    expect(w.stats().rejected).toBe(1);
    const rejected = fs.readdirSync(dir).filter((f) => f.startsWith('rejected-'));
    expect(rejected).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, rejected[0]!), 'utf8')).toMatch(/not a role/);
  });

  it('records what a client chose however long or odd: an operation name of 5,000 characters, a purpose with control characters, an empty name', async () => {
    await officeUp();
    const dir = journalDir('client-texts');
    const w = writer({ journalDir: dir });
    const long = `Q${'x'.repeat(5000)}`;
    await w.record(record({ operationName: long, purpose: `许可\u0000\u202e${'长'.repeat(600)}`, clientRequestId: '' }));
    await w.record(record({ operationName: '' }));
    // 300 emoji are 300 characters, as the gateway counts a purpose (600 UTF-16 units): kept whole.
    await w.record(record({ operationName: 'Emoji', purpose: `a${'😀'.repeat(299)}` }));
    await until(() => w.stats().delivered === 3);
    await w.close();
    expect(w.stats().rejected).toBe(0);
    const stored = await storedEntries();
    const named = stored.find((e) => e.operationName?.startsWith('Qxxx'))!;
    expect(named.operationName).toHaveLength(200);
    expect(named.operationName!.endsWith('…')).toBe(true);
    expect(named.purpose!.length).toBeLessThanOrEqual(500);
    expect(named.purpose!.startsWith('许可\ufffd')).toBe(true);
    expect(named.clientRequestId).toBeNull();
    expect(stored.some((e) => e.operationName === null)).toBe(true);
    expect(stored.find((e) => e.operationName === 'Emoji')!.purpose).toBe(`a${'😀'.repeat(299)}`);
  });

  it('is refused by the office with a wrong key, and keeps the entries', async () => {
    await officeUp();
    const dir = journalDir('wrong-key');
    const w = writer({ journalDir: dir, signingKey: 'some-other-key-0123456789abcdef01234567' });
    await w.record(record());
    await until(() => w.stats().failures >= 2);
    expect(w.stats().delivered).toBe(0);
    expect(await storedIds()).toHaveLength(0);
    expect(journaled(dir).filter((line) => line.startsWith('E'))).toHaveLength(1);
  });
});
