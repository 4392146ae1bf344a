/**
 * "The chain is verified after a crash mid-write": a batch is one
 * transaction, so a process killed in the middle of one leaves either all of
 * it or none of it, and the chain intact.
 *
 * 1. A child process appends batches to the credit database in a loop and is
 *    SIGKILLed in the middle of a batch.
 * 2. The credit subgraph itself, as a real process, is SIGKILLed while it
 *    holds the append lock for a delivered batch; the batch is not there,
 *    and delivering it again after a restart stores it whole, once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ROOT_DIR } from '../../lib/config';
import { openSubgraphDatabase } from '../../lib/subgraph';
import type { Database } from '../../lib/db';
import { appendAuditEntries, verifyAuditChain } from '../../subgraphs/credit/audit';
import { IDENTITY_HEADER, signIdentity } from '../../lib/auth/identity-header';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { freePorts } from '../helpers/ports';
import { auditEntries, SIGNING_KEY, subjectCode } from './fixtures';

jest.setTimeout(120_000);

const CREDIT = { name: 'credit' as const, migrationsDir: path.join(ROOT_DIR, 'subgraphs/credit/migrations') };

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function count(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entry');
  return row!.n;
}

describe('a process killed mid-batch', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('audit_crash');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('leaves whole batches only, and a chain that verifies and keeps growing', async () => {
    const BATCH = 1500;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'append-child.ts'), database.url, String(BATCH)], {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    let committed = 0;
    let killedAfter = -1;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let at;
        while ((at = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          const match = /^committed (\d+)$/.exec(line);
          if (match) committed = Number(match[1]);
          // After two whole batches, kill it a moment into the next one.
          if (line === 'begin' && committed >= 2 * BATCH && killedAfter < 0) {
            killedAfter = committed;
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, 5 + Math.floor(Math.random() * 40));
          }
        }
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`append child exited early (${code}): ${stderr}`));
      });
    });
    await exited(child);

    const db = await openSubgraphDatabase(CREDIT, { databaseUrl: database.url });
    try {
      const stored = await count(db);
      // Whole batches: the one in flight is there entirely (it committed just before the kill) or not at all.
      expect(stored % BATCH).toBe(0);
      expect([killedAfter, killedAfter + BATCH]).toContain(stored);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: stored });
      // The chain goes on from where the crash left it.
      await appendAuditEntries(db, auditEntries(10));
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: stored + 10 });
    } finally {
      await db.close();
    }
  });
});

describe('the credit subgraph killed while it appends a delivered batch', () => {
  let database: TestDatabase;
  let port: number;
  let subgraph: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('audit_kill');
    [port] = (await freePorts(1)) as [number];
  });
  afterAll(async () => {
    if (subgraph && subgraph.exitCode === null && subgraph.signalCode === null) {
      subgraph.kill('SIGKILL');
      await exited(subgraph);
    }
    await database.drop();
  });

  async function startCredit(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'subgraphs/credit/main.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, CREDIT_DATABASE_URL: database.url, CREDIT_PORT: String(port), HOST: '127.0.0.1', IDENTITY_SIGNING_KEY: SIGNING_KEY, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('credit subgraph did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const deliver = (entries: unknown[]) => {
    const body = JSON.stringify({ entries });
    const identity = { clientId: 'gateway', role: 'GATEWAY', scopes: [], purpose: null, requestId: 'crash' };
    return fetch(`http://127.0.0.1:${port}/internal/audit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(identity, SIGNING_KEY, { audience: 'credit', method: 'POST', target: '/internal/audit', body }) },
      body,
    });
  };

  it('stores nothing of the batch, keeps the chain intact, and takes the re-delivery whole', async () => {
    subgraph = await startCredit();
    const first = auditEntries(200);
    expect(await (await deliver(first)).json()).toEqual({ stored: 200, duplicates: 0 });

    // A large batch: 1,000 entries naming 500 subjects each.
    const subjects = Array.from({ length: 500 }, (_, i) => subjectCode(i));
    const big = auditEntries(1000, { subjects });
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const delivery = deliver(big).then(
        () => 'answered',
        () => 'connection lost',
      );
      // Kill the subgraph the moment its transaction holds the append lock.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        if (rows[0].n > 0) break;
        if (Date.now() > deadline) throw new Error('the append lock was never taken');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      subgraph.kill('SIGKILL');
      await exited(subgraph);
      expect(await delivery).toBe('connection lost');

      // The server rolls back the dead connection's transaction.
      const until = Date.now() + 10_000;
      for (;;) {
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        if (rows[0].n === 0 || Date.now() > until) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await admin.end();
    }

    const db = await openSubgraphDatabase(CREDIT, { databaseUrl: database.url });
    try {
      expect(await count(db)).toBe(200);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 200 });

      // The gateway delivers the batch again once the office is back: stored whole, once.
      subgraph = await startCredit();
      expect(await (await deliver(big)).json()).toEqual({ stored: 1000, duplicates: 0 });
      expect(await (await deliver([...first.slice(0, 10), ...big.slice(0, 10)])).json()).toEqual({ stored: 0, duplicates: 20 });
      expect(await count(db)).toBe(1200);
      expect(await verifyAuditChain(db, { pageSize: 333 })).toMatchObject({ ok: true, entries: 1200 });
    } finally {
      await db.close();
    }
  });
});
