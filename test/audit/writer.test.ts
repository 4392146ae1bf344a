/**
 * The gateway's audit writer against the real credit subgraph over HTTP:
 * batches delivered, retried while the credit office is down and delivered
 * when it is back, the bounded queue spilled to disk, and on close with the
 * office down everything spooled and delivered by the next writer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { creditSubgraph } from '../../subgraphs/credit';
import { verifyAuditChain } from '../../subgraphs/credit/audit';
import { auditEndpoint, createAuditWriter, type AuditRecord, type AuditWriter, type AuditWriterOptions } from '../../gateway/audit/writer';
import { createLogger } from '../../lib/logger';
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

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const spoolFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('spool-')) : []);
const spooledLines = (dir: string) => spoolFiles(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));

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

  const writer = (options: Partial<AuditWriterOptions> = {}) => {
    const w = createAuditWriter({ url, signingKey: SIGNING_KEY, logger, batchSize: 10, flushIntervalMs: 50, minBackoffMs: 50, maxBackoffMs: 200, closeTimeoutMs: 500, ...options });
    writers.push(w);
    return w;
  };

  async function storedIds(): Promise<string[]> {
    return (await office!.db.query<{ id: string }>('SELECT entry_id::text AS id FROM audit_entry ORDER BY seq')).map((r) => r.id);
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

  it('records without waiting and delivers in batches, by size and by time', async () => {
    await officeUp();
    const w = writer({ batchSize: 25, flushIntervalMs: 100 });
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1010; i++) w.record(record());
    const perRecordMicros = Number(process.hrtime.bigint() - started) / 1000 / 1010;
    expect(perRecordMicros).toBeLessThan(200);
    await until(() => w.stats().delivered === 1010);
    // A lone entry goes out after flushIntervalMs, not when a batch fills.
    w.record(record({ entryId: '00000000-0000-4000-8000-000000000001', at: new Date('2026-05-01T00:00:00Z') }));
    await until(() => w.stats().delivered === 1011);
    const ids = await storedIds();
    expect(ids).toHaveLength(1011);
    expect(ids[1010]).toBe('00000000-0000-4000-8000-000000000001');
    const [stored] = await office!.db.query<{ subjects: string[]; at: Date }>("SELECT subjects, at FROM audit_entry WHERE entry_id = '00000000-0000-4000-8000-000000000001'");
    // Codes normalised to upper case at the source, so Subject.accessLog finds them.
    expect(stored!.subjects[0]).toMatch(/^[0-9A-Z]{18}$/);
    expect(stored!.at.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
    expect(w.stats()).toMatchObject({ recorded: 1011, delivered: 1011, queued: 0, failures: 0, spoolFiles: 0 });
  });

  it('retries while the credit office is down and delivers when it comes back', async () => {
    const w = writer();
    for (let i = 0; i < 23; i++) w.record(record());
    await until(() => w.stats().failures >= 2);
    expect(w.stats()).toMatchObject({ delivered: 0, queued: 23 });
    await officeUp();
    await until(() => w.stats().delivered === 23);
    expect(await storedIds()).toHaveLength(23);
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
  });

  it('spills to the spool when the queue is full, and delivers the spool when the office is back', async () => {
    const spoolDir = path.join(workDir, 'spill');
    const w = writer({ spoolDir, maxQueue: 20 });
    const recorded: AuditRecord[] = [];
    for (let i = 0; i < 75; i++) {
      const entry = record({ entryId: crypto.randomUUID() });
      recorded.push(entry);
      w.record(entry);
    }
    await until(() => spooledLines(spoolDir).length >= 60);
    expect(w.stats().queued).toBeLessThanOrEqual(20);
    await officeUp();
    await until(() => w.stats().queued === 0 && w.stats().spoolFiles === 0);
    expect(spoolFiles(spoolDir)).toEqual([]);
    expect((await storedIds()).sort()).toEqual(recorded.map((e) => e.entryId).sort());
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
  });

  it('on close with the office down, spools everything; the next writer delivers it first', async () => {
    const spoolDir = path.join(workDir, 'close');
    const first = writer({ spoolDir, flushIntervalMs: 60_000 });
    const recorded = Array.from({ length: 37 }, () => record({ entryId: crypto.randomUUID() }));
    recorded.forEach((entry) => first.record(entry));
    await first.close();
    const spooled = spooledLines(spoolDir);
    expect(spooled.map((line) => JSON.parse(line).entryId).sort()).toEqual(recorded.map((e) => e.entryId).sort());
    // Closing twice is harmless; a request finishing after close is still kept.
    await first.close();
    const late = record({ entryId: crypto.randomUUID() });
    first.record(late);
    await until(() => spooledLines(spoolDir).length === 38);

    await officeUp();
    const next = writer({ spoolDir });
    await until(() => next.stats().delivered === 38);
    await until(() => spoolFiles(spoolDir).length === 0);
    expect((await storedIds()).sort()).toEqual([...recorded, late].map((e) => e.entryId).sort());
    // Delivering the same spool twice (a crash after delivery, before the file was removed) stores nothing twice.
    fs.writeFileSync(path.join(spoolDir, 'spool-again.jsonl'), spooled.join('\n') + '\n');
    const third = writer({ spoolDir });
    await until(() => third.stats().delivered === 37);
    expect(await storedIds()).toHaveLength(38);
    expect((await verifyAuditChain(office!.db)).ok).toBe(true);
  });

  it('on close with the office up, delivers what is queued', async () => {
    await officeUp();
    const w = writer({ flushIntervalMs: 60_000, batchSize: 500 });
    for (let i = 0; i < 12; i++) w.record(record());
    expect(w.stats().delivered).toBe(0);
    await w.close();
    expect(w.stats()).toMatchObject({ delivered: 12, queued: 0 });
    expect(await storedIds()).toHaveLength(12);
  });

  it('puts an entry the pipeline recorded wrongly aside instead of blocking the rest', async () => {
    await officeUp();
    const spoolDir = path.join(workDir, 'rejected');
    const w = writer({ spoolDir });
    w.record(record({ role: 'not a role' }));
    w.record(record());
    await until(() => w.stats().delivered === 1);
    await w.close();
    expect(w.stats().rejected).toBe(1);
    const rejected = fs.readdirSync(spoolDir).filter((f) => f.startsWith('rejected-'));
    expect(rejected).toHaveLength(1);
    expect(fs.readFileSync(path.join(spoolDir, rejected[0]!), 'utf8')).toMatch(/not a role/);
  });

  it('is refused by the office with a wrong key, and keeps the entries', async () => {
    await officeUp();
    const w = writer({ signingKey: 'some-other-key-0123456789abcdef01234567' });
    w.record(record());
    await until(() => w.stats().failures >= 2);
    expect(w.stats()).toMatchObject({ delivered: 0, queued: 1 });
    expect(await storedIds()).toHaveLength(0);
  });
});
