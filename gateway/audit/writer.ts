/**
 * The gateway's audit writer: one entry per request, shipped in batches to
 * the credit office (`POST /internal/audit` of the credit subgraph, which
 * appends them to its hash-chained log). The gateway never opens that
 * database.
 *
 * How the request pipeline uses it (gateway/server.ts creates it as
 * `server.audit` when IDENTITY_SIGNING_KEY is set, and closes it):
 *
 *   audit.record({ requestId, clientId, role, purpose, operationName,
 *                  subjects: ['9135…'], fieldGroups: ['market', 'tax'], outcome: 'OK' });
 *
 * once per request, when its outcome is known (the audit plugin's onEnd,
 * gateway/plugins/audit.ts, for every request, refused ones included:
 * UNAUTHENTICATED, RATE_LIMITED, ...). `record` is synchronous and cheap: it
 * assigns the entry's id and time (unless given) and pushes it onto an
 * in-memory queue; it never waits for the network and never throws.
 *
 * Delivery: a batch goes out when `batchSize` entries are waiting or every
 * `flushIntervalMs`, signed as the gateway (role GATEWAY). A failed delivery
 * keeps its entries and is retried with exponential backoff; the credit
 * office stores each entry once however often it is delivered (entryId).
 * Nothing is lost:
 * - when more than `maxQueue` entries wait (the credit office down for long),
 *   the queue is spilled to an append-only JSON-lines file under `spoolDir`
 *   (DATA_DIR/audit-spool) and delivered from there once the office answers;
 * - `close()` (the gateway's close, after in-flight requests finished)
 *   delivers what is queued, and writes what it could not deliver to the
 *   spool, which the next writer started on the same spool directory
 *   delivers first;
 * - a batch the credit office refuses as invalid (400: a bug in what the
 *   pipeline recorded) cannot succeed by retrying: it is written to a
 *   `rejected-*.jsonl` file beside the spool for someone to look at, and an
 *   error is logged.
 * A crash of the gateway process (SIGKILL, power) loses the entries still in
 * memory: at most `flushIntervalMs` worth, or `maxQueue` while the office is down.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Logger } from '../../lib/logger';
import { callCreditOffice, creditOfficeEndpoint } from '../../lib/auth/credit-office-client';
import { dataDirFrom, identitySigningKey } from '../../lib/config';
import { auditEntryProblems, MAX_AUDIT_BATCH, type AuditEntry } from '../../lib/audit-entry';

export type { AuditEntry } from '../../lib/audit-entry';
export { AUDIT_FIELD_GROUPS, AUDIT_OUTCOMES } from '../../lib/audit-entry';

/** What the pipeline records: an entry without its id and time, which the writer assigns unless given. */
export type AuditRecord = Omit<AuditEntry, 'entryId' | 'at'> & { entryId?: string; at?: string | Date };

export interface AuditWriterOptions {
  /** The credit subgraph's audit endpoint, e.g. http://127.0.0.1:4005/internal/audit (auditEndpoint()). */
  url: string;
  /** IDENTITY_SIGNING_KEY. */
  signingKey: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Entries per delivery (default 200, at most MAX_AUDIT_BATCH). */
  batchSize?: number;
  /** Longest an entry waits before it is shipped (default 1000 ms). */
  flushIntervalMs?: number;
  /** Entries kept in memory before the queue is spilled to the spool (default 10,000). */
  maxQueue?: number;
  /** Directory of the spool and rejected files (default: none — entries that cannot be kept in memory are logged and dropped; always set it in a deployment). */
  spoolDir?: string;
  /** Timeout of one delivery (default 10 s). */
  requestTimeoutMs?: number;
  /** First retry delay, doubled per failure up to maxBackoffMs (defaults 200 ms and 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long close() keeps trying to deliver before spooling the rest (default 5 s). */
  closeTimeoutMs?: number;
}

export interface AuditWriterStats {
  /** Entries recorded since start. */
  recorded: number;
  /** Entries the credit office acknowledged (stored now or already stored). */
  delivered: number;
  /** Entries waiting in memory. */
  queued: number;
  /** Entries written to the spool (since start) and spool files waiting for delivery. */
  spooled: number;
  spoolFiles: number;
  /** Failed deliveries since start. */
  failures: number;
  /** Entries refused by the credit office as invalid (written to rejected-*.jsonl). */
  rejected: number;
}

export interface AuditWriter {
  /** Queues one entry; synchronous, never throws, never waits. */
  record(entry: AuditRecord): void;
  /** Delivers everything queued and spooled now; rejects if a delivery fails (entries are kept). */
  flush(): Promise<void>;
  /** Stops the timer, delivers what it can within closeTimeoutMs and spools the rest. Idempotent. */
  close(): Promise<void>;
  stats(): AuditWriterStats;
}

/** The credit subgraph's audit endpoint, from its GraphQL URL. */
export function auditEndpoint(creditGraphqlUrl: string): string {
  return creditOfficeEndpoint(creditGraphqlUrl, '/internal/audit');
}

/** Where the writer spools: DATA_DIR/audit-spool. */
export function auditSpoolDir(dataDir: string): string {
  return path.join(dataDir, 'audit-spool');
}

class DeliveryError extends Error {
  constructor(message: string, readonly status?: number, readonly body?: unknown) {
    super(message);
  }
}

const SPOOL_FILE = /^spool-.*\.jsonl$/;

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const log = options.logger;
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 200), MAX_AUDIT_BATCH);
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const maxQueue = Math.max(batchSize, options.maxQueue ?? 10_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const minBackoffMs = options.minBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5000;
  const spoolDir = options.spoolDir;

  const queue: AuditEntry[] = [];
  /** Closed spool files waiting for delivery, oldest first (from earlier runs, then this run's). */
  const backlog: string[] = [];
  /** The spool file this run is appending to; null until it first spills. */
  let currentSpool: string | null = null;
  let spoolCounter = 0;
  /** Spool writes in flight, in order (appends are serialised). */
  let spoolWrites: Promise<void> = Promise.resolve();
  let flushing: Promise<void> | null = null;
  let failuresInARow = 0;
  let retryAt = 0;
  let closed = false;
  const stats = { recorded: 0, delivered: 0, spooled: 0, failures: 0, rejected: 0 };

  if (spoolDir) {
    fs.mkdirSync(spoolDir, { recursive: true });
    const left = fs.readdirSync(spoolDir).filter((f) => SPOOL_FILE.test(f)).sort();
    backlog.push(...left.map((f) => path.join(spoolDir, f)));
    if (left.length > 0) log.info({ files: left.length, spoolDir }, 'audit: delivering entries spooled by an earlier run');
  }

  const newSpoolName = () => path.join(spoolDir!, `spool-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++spoolCounter}.jsonl`);

  /** Appends entries to the current spool file (in order; the write is queued, close() waits for it). */
  function spill(entries: AuditEntry[]): void {
    if (entries.length === 0) return;
    if (!spoolDir) {
      log.error({ entries: entries.length, lost: entries.map((e) => e.entryId) }, 'audit: queue full and no spool directory: entries dropped');
      return;
    }
    currentSpool ??= newSpoolName();
    const file = currentSpool;
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    stats.spooled += entries.length;
    spoolWrites = spoolWrites.then(
      () => fs.promises.appendFile(file, text, { flag: 'a' }),
    ).catch((error: unknown) => {
      log.error({ err: error, file, entries: entries.length }, 'audit: could not write the spool file: entries kept in memory');
      queue.unshift(...entries);
    });
    log.warn({ entries: entries.length, file }, 'audit: credit office not keeping up: entries spooled to disk');
  }

  function writeRejected(entries: AuditEntry[], reason: unknown): void {
    stats.rejected += entries.length;
    log.error({ entries: entries.length, reason }, 'audit: the credit office refused a batch as invalid');
    if (!spoolDir) return;
    const file = path.join(spoolDir, `rejected-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.jsonl`);
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    spoolWrites = spoolWrites.then(() => fs.promises.appendFile(file, text)).catch((error: unknown) => {
      log.error({ err: error, file }, 'audit: could not write the rejected entries');
    });
  }

  async function deliver(entries: AuditEntry[], timeoutMs = requestTimeoutMs): Promise<void> {
    let answer;
    try {
      answer = await callCreditOffice({ url: options.url, signingKey: options.signingKey, purpose: null, body: { entries }, timeoutMs, requestId: `audit-${crypto.randomUUID()}` });
    } catch (error) {
      throw new DeliveryError(`credit office unreachable: ${(error as Error).message}`);
    }
    if (answer.status !== 200) throw new DeliveryError(`credit office answered HTTP ${answer.status}`, answer.status, answer.body);
    stats.delivered += entries.length;
  }

  /** Delivers a batch; a 400 is final (the batch goes to the rejected file), anything else is retried later. */
  async function deliverOrReject(entries: AuditEntry[], timeoutMs?: number): Promise<void> {
    try {
      await deliver(entries, timeoutMs);
    } catch (error) {
      if (error instanceof DeliveryError && error.status === 400) {
        writeRejected(entries, error.body);
        return;
      }
      throw error;
    }
  }

  /** Delivers one spool file in batches; removes it once all of it was acknowledged. */
  async function deliverFile(file: string): Promise<void> {
    let batch: AuditEntry[] = [];
    const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let entry: AuditEntry;
      try {
        entry = JSON.parse(line) as AuditEntry;
      } catch {
        // A torn last line from a crash mid-write: the entries before it are whole.
        log.error({ file, line: line.slice(0, 200) }, 'audit: unreadable line in a spool file skipped');
        continue;
      }
      batch.push(entry);
      if (batch.length >= batchSize) {
        await deliverOrReject(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await deliverOrReject(batch);
    await fs.promises.rm(file, { force: true });
  }

  /** One pass: the spool backlog (oldest first), then the queue. Throws on the first failed delivery. */
  async function drain(): Promise<void> {
    while (backlog.length > 0) {
      await deliverFile(backlog[0]!);
      backlog.shift();
    }
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      try {
        await deliverOrReject(batch);
      } catch (error) {
        queue.unshift(...batch);
        throw error;
      }
    }
    // Caught up: this run's spool file is closed and joins the backlog, to be delivered next.
    if (currentSpool !== null) {
      const file = currentSpool;
      currentSpool = null;
      await spoolWrites;
      if (fs.existsSync(file)) {
        backlog.push(file);
        await drain();
      }
    }
  }

  function flushNow(): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        await drain();
        failuresInARow = 0;
        retryAt = 0;
      } catch (error) {
        stats.failures += 1;
        failuresInARow += 1;
        const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** (failuresInARow - 1));
        retryAt = Date.now() + delay * (0.5 + Math.random() / 2);
        log.warn({ err: (error as Error).message, queued: queue.length, retryInMs: Math.round(retryAt - Date.now()) }, 'audit: delivery failed, will retry');
        throw error;
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }

  /** Timer and size trigger: flush unless one is running or the backoff has not elapsed. */
  function kick(): void {
    if (closed || flushing || Date.now() < retryAt) return;
    if (queue.length === 0 && backlog.length === 0 && currentSpool === null) return;
    flushNow().catch(() => {});
  }

  // Ticks at the retry granularity; a batch smaller than batchSize waits for flushIntervalMs.
  let lastShipped = Date.now();
  const ticker = setInterval(() => {
    if (queue.length >= batchSize || backlog.length > 0 || currentSpool !== null || Date.now() - lastShipped >= flushIntervalMs) {
      lastShipped = Date.now();
      kick();
    }
  }, Math.max(10, Math.min(flushIntervalMs, minBackoffMs)));
  ticker.unref();

  return {
    record(input) {
      try {
        const at = input.at instanceof Date ? input.at.toISOString() : (input.at ?? new Date().toISOString());
        const entry: AuditEntry = {
          entryId: input.entryId ?? crypto.randomUUID(),
          at,
          requestId: input.requestId,
          clientId: input.clientId ?? null,
          role: input.role,
          purpose: input.purpose ?? null,
          operationName: input.operationName ?? null,
          subjects: [...new Set((input.subjects ?? []).map((code) => String(code).trim().toUpperCase()))],
          fieldGroups: [...new Set(input.fieldGroups ?? [])],
          outcome: input.outcome,
        };
        stats.recorded += 1;
        const problems = auditEntryProblems(entry);
        if (problems.length > 0) {
          // A bug in the pipeline; the credit office would refuse the whole batch for it.
          writeRejected([entry], problems);
          return;
        }
        if (closed) {
          // After close(): a late request still gets accounted for, in the spool.
          spill([entry]);
          return;
        }
        queue.push(entry);
        if (queue.length > maxQueue) spill(queue.splice(0, queue.length));
        else if (queue.length >= batchSize && !flushing && Date.now() >= retryAt) setImmediate(kick);
      } catch (error) {
        log.error({ err: error }, 'audit: could not record an entry');
      }
    },

    flush: async () => {
      if (flushing) await flushing.catch(() => {});
      await flushNow();
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ticker);
      const deadline = Date.now() + closeTimeoutMs;
      if (flushing) await flushing.catch(() => {});
      // Only memory needs saving: spool files are already on disk for the next start.
      let attempt = 0;
      while (queue.length > 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        const batch = queue.splice(0, batchSize);
        try {
          await deliverOrReject(batch, Math.min(requestTimeoutMs, remaining));
          attempt = 0;
        } catch {
          queue.unshift(...batch);
          stats.failures += 1;
          const wait = Math.min(minBackoffMs * 2 ** attempt++, deadline - Date.now());
          if (wait <= 0) break;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      if (queue.length > 0) {
        log.warn({ entries: queue.length }, 'audit: credit office unreachable at shutdown: entries spooled for the next start');
        spill(queue.splice(0, queue.length));
      }
      await spoolWrites;
    },

    stats: () => ({
      ...stats,
      queued: queue.length,
      spoolFiles: backlog.length + (currentSpool ? 1 : 0),
    }),
  };
}

/**
 * The writer of a gateway process, from its environment: the credit
 * subgraph's URL (as the gateway calls it), IDENTITY_SIGNING_KEY, and
 * DATA_DIR/audit-spool for the spool. Null when there is no signing key or no
 * credit subgraph: nothing could be delivered, and requests are not audited.
 */
export function auditWriterFromEnvironment(
  subgraphUrls: Record<string, string>,
  logger: AuditWriterOptions['logger'],
  env: Record<string, string | undefined> = process.env,
): AuditWriter | null {
  const signingKey = identitySigningKey(env);
  const credit = subgraphUrls.credit;
  if (!signingKey || !credit) {
    logger.warn('audit: no IDENTITY_SIGNING_KEY or no credit subgraph: requests are not audited');
    return null;
  }
  return createAuditWriter({ url: auditEndpoint(credit), signingKey, logger, spoolDir: auditSpoolDir(dataDirFrom(env)) });
}
