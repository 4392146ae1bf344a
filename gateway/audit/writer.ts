/**
 * The gateway's audit writer: one entry per request, made durable in a local
 * journal (journal.ts) before the request's answer is sent, then delivered
 * in batches to the credit office (`POST /internal/audit` of the credit
 * subgraph, which appends them to its hash-chained log). The gateway never
 * opens that database.
 *
 *   await audit.record({ requestId, clientRequestId, sourceAddress, clientId, role, purpose,
 *                        operationName, subjects: ['9135…'], fieldGroups: ['market'], outcome: 'OK' });
 *
 * once per request, when its outcome is known and before its answer goes out
 * (the audit plugin, gateway/plugins/audit.ts). It resolves once the entry
 * is on disk: a crash of the gateway after that loses nothing, since the
 * next process recovers the journal and delivers it. It rejects only when
 * the journal cannot be written — and then the answer is not sent either.
 *
 * `recordRefusal(...)` is for the requests refused before an operation was
 * considered (a bad credential, a rate limit, a body that could not be read):
 * they are counted into one aggregate entry per address, client and outcome
 * and minute (`count`), so a flood of bogus keys is a few entries, not one
 * each; each refusal is on disk (the aggregate's latest snapshot) before its
 * answer goes out, like any entry.
 *
 * Delivery: the writer reads its journal back and ships a batch when
 * `batchSize` entries wait or every `flushIntervalMs`, signed as the gateway
 * (role GATEWAY). A failed delivery is retried with exponential backoff;
 * the credit office stores each entry once however often it is delivered
 * (entryId), so delivering again after a crash duplicates nothing. A segment
 * is removed once delivered. A batch the credit office refuses as invalid
 * (400: a bug in what the pipeline recorded) cannot succeed by retrying: it
 * goes to `rejected-*.jsonl` beside the journal and an error is logged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../lib/logger';
import { callCreditOffice, creditOfficeEndpoint } from '../../lib/auth/credit-office-client';
import { dataDirFrom, identitySigningKey } from '../../lib/config';
import { AUDIT_TEXT_LIMITS, auditEntryProblems, auditText, MAX_AUDIT_BATCH, MAX_AUDIT_SUBJECTS, type AuditEntry } from '../../lib/audit-entry';
import { abandonedSegments, AuditJournal, journalLine, parseJournalLine, readLines, type JournalSegment } from './journal';

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
  /** Directory of the journal and of rejected batches (auditJournalDir(DATA_DIR)). */
  journalDir: string;
  /** Directories of an earlier format to deliver at start (auditSpoolDir(DATA_DIR), plain JSON lines). */
  legacySpoolDirs?: string[];
  /** Entries per delivery (default 200, at most MAX_AUDIT_BATCH). */
  batchSize?: number;
  /** Longest an entry waits before it is shipped (default 1000 ms). */
  flushIntervalMs?: number;
  /** Timeout of one delivery (default 10 s). */
  requestTimeoutMs?: number;
  /** First retry delay, doubled per failure up to maxBackoffMs (defaults 200 ms and 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long close() keeps trying to deliver; the rest stays in the journal for the next start (default 5 s). */
  closeTimeoutMs?: number;
  /** How long an aggregate of refusals stays open (default 60 s). */
  aggregateWindowMs?: number;
  /** fdatasync every grouped write (default true). */
  sync?: boolean;
  /** Journal segment size (default 16 MB). */
  segmentBytes?: number;
}

export interface AuditWriterStats {
  /** Entries recorded since start (each refusal counted once). */
  recorded: number;
  /** Entries the credit office acknowledged (stored now or already stored). */
  delivered: number;
  /** Journal segments of this process not yet delivered to their end, and segments of earlier processes still to recover. */
  segments: number;
  abandoned: number;
  /** Aggregates of refusals still open. */
  openAggregates: number;
  /** Grouped journal writes (one flush each) since start: far fewer than entries under load. */
  journalWrites: number;
  /** Failed deliveries since start. */
  failures: number;
  /** Entries refused by the credit office as invalid (written to rejected-*.jsonl). */
  rejected: number;
}

export interface AuditWriter {
  /** Records one entry; resolves once it is on disk. */
  record(entry: AuditRecord): Promise<void>;
  /** Counts one refused request into its aggregate (per outcome, address, client, role and minute); resolves once that is on disk. */
  recordRefusal(entry: AuditRecord): Promise<void>;
  /** Delivers everything journaled now; rejects if a delivery fails (nothing is lost). */
  flush(): Promise<void>;
  /** Closes the open aggregates, delivers what it can within closeTimeoutMs; the rest stays in the journal. Idempotent. */
  close(): Promise<void>;
  stats(): AuditWriterStats;
}

/** The credit subgraph's audit endpoint, from its GraphQL URL. */
export function auditEndpoint(creditGraphqlUrl: string): string {
  return creditOfficeEndpoint(creditGraphqlUrl, '/internal/audit');
}

/** Where the gateway journals its entries: DATA_DIR/audit-journal. */
export function auditJournalDir(dataDir: string): string {
  return path.join(dataDir, 'audit-journal');
}

/** Where earlier gateways spooled entries they could not deliver: DATA_DIR/audit-spool (delivered at start). */
export function auditSpoolDir(dataDir: string): string {
  return path.join(dataDir, 'audit-spool');
}

class DeliveryError extends Error {
  constructor(message: string, readonly status?: number, readonly body?: unknown) {
    super(message);
  }
}

const LEGACY_SPOOL = /^spool-.*\.jsonl$/;

/** The entry as it is stored: id and time assigned, codes upper case, each once. */
function entryOf(input: AuditRecord): AuditEntry {
  const at = input.at instanceof Date ? input.at.toISOString() : (input.at ?? new Date().toISOString());
  return {
    entryId: input.entryId ?? crypto.randomUUID(),
    at,
    requestId: auditText(input.requestId, AUDIT_TEXT_LIMITS.requestId) ?? crypto.randomUUID(),
    clientRequestId: auditText(input.clientRequestId, AUDIT_TEXT_LIMITS.clientRequestId),
    sourceAddress: auditText(input.sourceAddress, AUDIT_TEXT_LIMITS.sourceAddress),
    count: input.count ?? 1,
    clientId: auditText(input.clientId, AUDIT_TEXT_LIMITS.clientId),
    role: input.role,
    purpose: auditText(input.purpose, AUDIT_TEXT_LIMITS.purpose),
    operationName: auditText(input.operationName, AUDIT_TEXT_LIMITS.operationName),
    subjects: [...new Set((input.subjects ?? []).map((code) => String(code).trim().toUpperCase()))].slice(0, MAX_AUDIT_SUBJECTS),
    fieldGroups: [...new Set(input.fieldGroups ?? [])],
    outcome: input.outcome,
  };
}

export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const log = options.logger;
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 200), MAX_AUDIT_BATCH);
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const minBackoffMs = options.minBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5000;
  const windowMs = options.aggregateWindowMs ?? 60_000;

  const aggregates = new Map<string, { entry: AuditEntry; closesAt: number }>();
  const journal = new AuditJournal({
    dir: options.journalDir,
    sync: options.sync,
    segmentBytes: options.segmentBytes,
    // A new segment starts with the open aggregates' snapshots, so removing an older one never loses the latest.
    carryOver: () => [...aggregates.values()].map(({ entry }) => journalLine('S', entry)),
  });
  /** Segments of processes that are gone (and earlier spool files), grouped by the process that wrote them, oldest first. */
  const abandoned: string[][] = groupByWriter([
    ...abandonedSegments(options.journalDir, journal.instance),
    ...(options.legacySpoolDirs ?? []).flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => LEGACY_SPOOL.test(f)).sort().map((f) => path.join(dir, f)) : [])),
  ]);
  if (abandoned.length > 0) log.info({ files: abandoned.flat().length, dir: options.journalDir }, 'audit: delivering the journal of an earlier gateway process');

  /** Where delivery of this process's own journal stands. */
  let cursor: { segment: JournalSegment | undefined; offset: number } = { segment: undefined, offset: 0 };
  /** Entries journaled since the last delivery: a batch's worth ships at once. */
  let waiting = 0;
  let flushing: Promise<void> | null = null;
  let failuresInARow = 0;
  let retryAt = 0;
  let closed = false;
  let lastShipped = Date.now();
  const stats = { recorded: 0, delivered: 0, failures: 0, rejected: 0 };

  async function writeRejected(entries: AuditEntry[], reason: unknown): Promise<void> {
    stats.rejected += entries.length;
    log.error({ entries: entries.length, reason }, 'audit: an entry the credit office would refuse was put aside');
    const file = path.join(options.journalDir, `rejected-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.jsonl`);
    await fs.promises.appendFile(file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
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

  /** Delivers a batch; a 400 is final (the batch is put aside), anything else is thrown to be retried. */
  async function deliverOrReject(entries: AuditEntry[], timeoutMs?: number): Promise<void> {
    if (entries.length === 0) return;
    try {
      await deliver(entries, timeoutMs);
    } catch (error) {
      if (error instanceof DeliveryError && error.status === 400) return writeRejected(entries, error.body);
      throw error;
    }
  }

  /** Where delivery of a segment stood (a hint kept beside it, so a recovery does not send it all again). */
  const deliveredOffset = (file: string): number => {
    try {
      return Number(fs.readFileSync(`${file}.delivered`, 'utf8')) || 0;
    } catch {
      return 0;
    }
  };

  /**
   * Recovers the segments one gone process wrote: its entries, and for each
   * aggregate that never closed the last snapshot, as its final entry.
   */
  async function deliverAbandoned(files: string[], timeoutMs?: number): Promise<void> {
    const finals = new Set<string>();
    const snapshots = new Map<string, AuditEntry>();
    for (const file of files) {
      const size = fs.statSync(file).size;
      for (const line of (await readLines(file, 0, size, Number.MAX_SAFE_INTEGER)).lines) {
        const parsed = parseJournalLine(line);
        if (!parsed) continue;
        if (parsed.kind === 'E') finals.add(parsed.entry.entryId);
        else snapshots.set(parsed.entry.entryId, parsed.entry);
      }
    }
    for (const file of files) {
      let offset = deliveredOffset(file);
      const size = fs.statSync(file).size;
      while (offset < size) {
        const { lines, next } = await readLines(file, offset, size, batchSize * 4);
        if (lines.length === 0) break;
        const entries = lines.map(parseJournalLine).flatMap((l) => (l && l.kind === 'E' ? [l.entry] : []));
        for (let at = 0; at < entries.length; at += batchSize) await deliverOrReject(entries.slice(at, at + batchSize), timeoutMs);
        offset = next;
        await fs.promises.writeFile(`${file}.delivered`, String(offset)).catch(() => {});
      }
    }
    const unclosed = [...snapshots.values()].filter((entry) => !finals.has(entry.entryId));
    for (let at = 0; at < unclosed.length; at += batchSize) await deliverOrReject(unclosed.slice(at, at + batchSize), timeoutMs);
    for (const file of files) {
      await fs.promises.rm(file, { force: true });
      await fs.promises.rm(`${file}.delivered`, { force: true });
    }
  }

  /** One pass: what earlier processes left, then this process's journal up to what is flushed. Throws on the first failed delivery. */
  async function drain(timeoutMs?: number): Promise<void> {
    while (abandoned.length > 0) {
      await deliverAbandoned(abandoned[0]!, timeoutMs);
      abandoned.shift();
    }
    for (;;) {
      const segment = journal.segments[0];
      if (!segment) return;
      if (cursor.segment !== segment) cursor = { segment, offset: 0 };
      waiting = 0;
      const { lines, next } = await readLines(segment.file, cursor.offset, segment.committedBytes, batchSize);
      if (lines.length === 0 && next < segment.committedBytes) throw new Error(`audit: ${segment.file} has a line without its end at byte ${next}`);
      const entries = lines.map(parseJournalLine).flatMap((l) => (l && l.kind === 'E' ? [l.entry] : []));
      await deliverOrReject(entries, timeoutMs);
      cursor.offset = next;
      if (entries.length > 0) await fs.promises.writeFile(`${segment.file}.delivered`, String(next)).catch(() => {});
      if (next < segment.committedBytes) continue;
      if (!segment.closed) return;
      await journal.remove(segment);
    }
  }

  function flushNow(timeoutMs?: number): Promise<void> {
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        await drain(timeoutMs);
        failuresInARow = 0;
        retryAt = 0;
      } catch (error) {
        stats.failures += 1;
        failuresInARow += 1;
        const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** (failuresInARow - 1));
        retryAt = Date.now() + delay * (0.5 + Math.random() / 2);
        log.warn({ err: (error as Error).message, retryInMs: Math.round(retryAt - Date.now()) }, 'audit: delivery failed, will retry');
        throw error;
      } finally {
        flushing = null;
        lastShipped = Date.now();
      }
    })();
    return flushing;
  }

  function kick(): void {
    if (closed || flushing || Date.now() < retryAt) return;
    flushNow().catch(() => {});
  }

  function closeAggregate(key: string): Promise<void> {
    const open = aggregates.get(key);
    if (!open) return Promise.resolve();
    aggregates.delete(key);
    waiting += 1;
    return journal.append(journalLine('E', open.entry)).catch((error: unknown) => {
      log.error({ err: error, entry: open.entry }, 'audit: could not journal a closed aggregate');
    });
  }

  journal.onCommit(() => {
    if (waiting >= batchSize) setImmediate(kick);
  });
  // Ticks at the retry granularity; a batch smaller than batchSize waits for flushIntervalMs.
  const ticker = setInterval(() => {
    const now = Date.now();
    for (const [key, open] of aggregates) if (open.closesAt <= now) void closeAggregate(key);
    if (waiting >= batchSize || abandoned.length > 0 || now - lastShipped >= flushIntervalMs) kick();
  }, Math.max(10, Math.min(flushIntervalMs, minBackoffMs)));
  ticker.unref();

  async function recordValid(entry: AuditEntry, line: () => Promise<void>): Promise<void> {
    stats.recorded += 1;
    const problems = auditEntryProblems(entry);
    if (problems.length > 0) {
      // A bug in the pipeline (entryOf makes every text the client chooses fit): the credit office
      // would refuse the whole batch for it. Kept on disk for the record, and the request is not
      // answered, as for any entry that cannot be recorded.
      await writeRejected([entry], problems);
      throw new Error(`audit entry invalid: ${problems.join('; ')}`);
    }
    await line();
  }

  return {
    record(input) {
      const entry = entryOf(input);
      return recordValid(entry, async () => {
        waiting += 1;
        await journal.append(journalLine('E', entry));
      });
    },

    recordRefusal(input) {
      const first = entryOf({ ...input, count: 1 });
      const key = JSON.stringify([first.outcome, first.sourceAddress, first.clientId, first.role]);
      const now = Date.now();
      let open = aggregates.get(key);
      if (open && open.closesAt <= now) {
        void closeAggregate(key);
        open = undefined;
      }
      if (!open) {
        open = { entry: { ...first, count: 0, subjects: [] }, closesAt: now + windowMs };
        aggregates.set(key, open);
      }
      const aggregate = open.entry;
      aggregate.count = (aggregate.count ?? 0) + 1;
      if (aggregate.subjects.length < MAX_AUDIT_SUBJECTS) aggregate.subjects = [...new Set([...aggregate.subjects, ...first.subjects])].slice(0, MAX_AUDIT_SUBJECTS);
      return recordValid(aggregate, () => journal.append(journalLine('S', aggregate), aggregate.entryId));
    },

    flush: async () => {
      if (flushing) await flushing.catch(() => {});
      await flushNow();
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ticker);
      await Promise.all([...aggregates.keys()].map((key) => closeAggregate(key)));
      await journal.seal();
      const deadline = Date.now() + closeTimeoutMs;
      if (flushing) await flushing.catch(() => {});
      let attempt = 0;
      while (journal.segments.length > 0 || abandoned.length > 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        try {
          await flushNow(Math.min(requestTimeoutMs, remaining));
        } catch {
          const wait = Math.min(minBackoffMs * 2 ** attempt++, deadline - Date.now());
          if (wait <= 0) break;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      if (journal.segments.length > 0 || abandoned.length > 0) log.warn({ dir: options.journalDir }, 'audit: credit office unreachable at shutdown: the journal is delivered by the next start');
      await journal.close();
    },

    stats: () => ({
      ...stats,
      segments: journal.segments.length,
      abandoned: abandoned.length,
      openAggregates: aggregates.size,
      journalWrites: journal.writes,
    }),
  };
}

/** Files of one writing process together (its aggregates span its segments), in the order given. */
function groupByWriter(files: string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const writer = /^journal-(\d+-[0-9a-z]+)-\d+\.jsonl$/.exec(path.basename(file))?.[1] ?? file;
    const group = groups.get(writer) ?? [];
    group.push(file);
    groups.set(writer, group);
  }
  return [...groups.values()];
}

/**
 * The writer of a gateway process, from its environment: the credit
 * subgraph's URL (as the gateway calls it), IDENTITY_SIGNING_KEY, and
 * DATA_DIR/audit-journal for the journal. Null when there is no signing key or no
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
  const dataDir = dataDirFrom(env);
  return createAuditWriter({ url: auditEndpoint(credit), signingKey, logger, journalDir: auditJournalDir(dataDir), legacySpoolDirs: [auditSpoolDir(dataDir)] });
}
