/**
 * workflows/record-status-outbox.ts: what the credit office decided about a
 * department's record reaches the department after the decision committed,
 * in the order decided, and stays pending (retried) while the department does
 * not answer. Against the credit office and the court's subgraph on PostgreSQL.
 */
import net from 'node:net';
import { buildUscc } from '../../lib/identifiers';
import type { RecordStatusChange } from '../../lib/record-status';
import { deliverRecordStatuses, queueRecordStatus } from '../../subgraphs/credit/workflows/record-status-outbox';
import { startCreditOffice, type CreditOffice } from '../helpers/credit-office';
import { courtDebtor } from '../helpers/department-records';

describe('record status outbox', () => {
  let office: CreditOffice;
  beforeAll(async () => {
    office = await startCreditOffice();
  }, 120_000);
  afterAll(() => office?.close());

  const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(61300000 + n) });
  const dbs = () => ({ market: office.departments.market.db, courts: office.departments.courts.db, environment: office.departments.environment.db });
  const disputeOf = async (subject: string, recordId: string) => {
    const [entity] = await office.departments.courts.entities([subject], 'courts { dishonestDebtors { recordId dispute { since verifyBy } } }', { as: { role: 'PUBLIC' } });
    return entity.courts.dishonestDebtors.find((r: { recordId: string }) => r.recordId === recordId).dispute;
  };
  const queue = (changes: RecordStatusChange[]) => office.credit.db.transaction(async (tx) => {
    for (const change of changes) await queueRecordStatus(tx, 'COURTS', change);
  });
  const pending = async () => (await office.credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM record_status_outbox WHERE delivered_at IS NULL'))[0]!.n;

  it('delivers a department\'s changes in the order they were decided, also past the tenth', async () => {
    const subject = code(1);
    const recordId = await courtDebtor(dbs(), subject, '2026-01-05');
    const changes: RecordStatusChange[] = [];
    for (let n = 1; n <= 11; n++) {
      changes.push({ recordId, subjectCode: subject, change: 'DISPUTED', on: '2026-11-01', verifyBy: `2026-11-${String(n + 10).padStart(2, '0')}`, reference: `objection/${n}` });
      if (n < 11) changes.push({ recordId, subjectCode: subject, change: 'DISPUTE_CLEARED', on: '2026-11-02', reference: `objection/${n}` });
    }
    await queue(changes);
    const delivery = await deliverRecordStatuses(office.credit.db, ['COURTS']);
    expect(delivery).toEqual({ delivered: changes.map(() => subject), pending: 0, failed: [] });
    // The last decision stands: disputed by the eleventh objection, not an earlier one delivered late.
    expect(await disputeOf(subject, recordId)).toEqual({ since: '2026-11-01', verifyBy: '2026-11-21' });
    expect(await pending()).toBe(0);
  });

  it('gives up on a department that takes the connection but never answers within a third of the gateway\'s wait, keeping the change pending', async () => {
    // Found by a black-box review: a decision, committed, waited 5 s for a paused department and the gateway told the
    // caller DEPARTMENT_UNAVAILABLE after its 3 s. The change stays queued; the outbox sends it again.
    const silent = net.createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const subject = code(3);
    const recordId = await courtDebtor(dbs(), subject, '2026-01-06');
    const saved = { url: process.env.COURTS_SUBGRAPH_URL, timeout: process.env.SUBGRAPH_TIMEOUT_MS };
    process.env.COURTS_SUBGRAPH_URL = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/graphql`;
    process.env.SUBGRAPH_TIMEOUT_MS = '900';
    try {
      await queue([{ recordId, subjectCode: subject, change: 'DISPUTED', on: '2026-11-01', verifyBy: '2026-11-21', reference: 'objection/98' }]);
      expect(await deliverRecordStatuses(office.credit.db, ['COURTS'])).toEqual({ delivered: [], pending: 1, failed: [] });
    } finally {
      process.env.COURTS_SUBGRAPH_URL = saved.url;
      if (saved.timeout === undefined) delete process.env.SUBGRAPH_TIMEOUT_MS;
      else process.env.SUBGRAPH_TIMEOUT_MS = saved.timeout;
      silent.close();
    }
    expect(await deliverRecordStatuses(office.credit.db, ['COURTS'])).toEqual({ delivered: [subject], pending: 0, failed: [] });
  }, 4_000);

  it('keeps a change pending while the department does not answer, and delivers it once it does', async () => {
    const subject = code(2);
    const recordId = await courtDebtor(dbs(), subject, '2026-01-05');
    const url = process.env.COURTS_SUBGRAPH_URL;
    process.env.COURTS_SUBGRAPH_URL = 'http://127.0.0.1:9/graphql';
    try {
      await queue([{ recordId, subjectCode: subject, change: 'DISPUTED', on: '2026-11-01', verifyBy: '2026-11-21', reference: 'objection/99' }]);
      const refused = await deliverRecordStatuses(office.credit.db, ['COURTS']);
      expect(refused).toEqual({ delivered: [], pending: 1, failed: [] });
      const [row] = await office.credit.db.query<{ attempts: number; last_error: string | null }>(`SELECT attempts, last_error FROM record_status_outbox WHERE reference = 'objection/99'`);
      expect(row!.attempts).toBe(1);
      expect(row!.last_error).not.toBeNull();
      expect(await disputeOf(subject, recordId)).toBeNull();
    } finally {
      process.env.COURTS_SUBGRAPH_URL = url;
    }
    expect(await deliverRecordStatuses(office.credit.db, ['COURTS'])).toEqual({ delivered: [subject], pending: 0, failed: [] });
    expect(await disputeOf(subject, recordId)).toEqual({ since: '2026-11-01', verifyBy: '2026-11-21' });
    // Delivered once: a later delivery sends nothing again.
    expect(await deliverRecordStatuses(office.credit.db, ['COURTS'])).toEqual({ delivered: [], pending: 0, failed: [] });
  });
});
