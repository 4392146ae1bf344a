/**
 * The audit log in the graph (schema/credit.graphql, `# --- Audit log ---`):
 * the credit office's `auditLog` and `auditChainStatus`, and
 * `Subject.accessLog` — who looked at a subject. Who may call them is the
 * gateway's field-level authorisation; these resolvers only read.
 */
import DataLoader from 'dataloader';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import { badUserInput } from '../../lib/errors';
import { accessLogs, queryAuditLog, verifyAuditChain, type AuditLogFilter, type StoredAuditEntry } from './audit';

type Context = SubgraphContext<unknown>;

export const MAX_AUDIT_PAGE = 100;
const MAX_BIGINT = 9223372036854775807n;

function encodeCursor(seq: string): string {
  return Buffer.from(`audit|${seq}`).toString('base64url');
}

function decodeCursor(cursor: string, field: string): string {
  const match = /^audit\|(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || BigInt(match[1]!) > MAX_BIGINT) throw badUserInput(`'after' is not a cursor returned by ${field}: ${cursor}`, { input: cursor });
  return match[1]!;
}

function requireFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) throw badUserInput(`'first' must be between 1 and ${MAX_AUDIT_PAGE}, got ${first}`);
  return first;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `from`/`to` of the filter: an instant with an offset, or a date meaning
 * that day in China (`from` its start, `to` its end: dates are inclusive).
 */
function requireBound(value: string, field: 'from' | 'to'): string {
  if (DATE.test(value)) {
    const day = new Date(`${value}T00:00:00+08:00`);
    if (Number.isNaN(day.getTime()) || new Date(day.getTime() + 8 * 3600_000).toISOString().slice(0, 10) !== value) {
      throw badUserInput(`'filter.${field}' is not a valid date: '${value}'`, { field, input: value });
    }
    return field === 'from' ? day.toISOString() : new Date(day.getTime() + 24 * 3600_000).toISOString();
  }
  if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw badUserInput(`'filter.${field}' must be an ISO-8601 date (YYYY-MM-DD, China) or date-time with an offset, got '${value}'`, { field, input: value });
  }
  return value;
}

interface AuditLogArgs {
  filter?: AuditLogFilter | null;
  first: number;
  after?: string | null;
}

function connection(rows: StoredAuditEntry[], first: number) {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeCursor(last.seq) : null, hasNextPage: rows.length > first };
}

/**
 * Per-request loaders of access logs, one per (first, after): the subjects
 * of one request asked with the same arguments cost one statement.
 */
const accessLoaders = new WeakMap<object, Map<string, DataLoader<string, StoredAuditEntry[]>>>();

function accessLoader(context: Context, limit: number, before: string | null): DataLoader<string, StoredAuditEntry[]> {
  let byArgs = accessLoaders.get(context);
  if (!byArgs) accessLoaders.set(context, (byArgs = new Map()));
  const key = `${limit}|${before ?? ''}`;
  let loader = byArgs.get(key);
  if (!loader) {
    loader = new DataLoader(async (codes: readonly string[]) => {
      const byCode = await accessLogs(context.db, codes, limit, before);
      return codes.map((code) => byCode.get(code) ?? []);
    });
    byArgs.set(key, loader);
  }
  return loader;
}

export const auditResolvers: ResolverMap = {
  Query: {
    auditLog: async (_root: unknown, args: AuditLogArgs, context: Context) => {
      const first = requireFirst(args.first);
      const filter: AuditLogFilter = { ...(args.filter ?? {}) };
      if (filter.from != null) filter.from = requireBound(filter.from, 'from');
      if (filter.to != null) filter.to = requireBound(filter.to, 'to');
      if (filter.subjectCode != null) filter.subjectCode = filter.subjectCode.trim().toUpperCase();
      const before = args.after ? decodeCursor(args.after, 'auditLog') : null;
      return connection(await queryAuditLog(context.db, filter, first + 1, before), first);
    },
    auditChainStatus: async (_root: unknown, args: { fromSeq?: string | null; toSeq?: string | null }, context: Context) => {
      const bound = (value: string | null | undefined, name: string) => {
        if (value == null) return undefined;
        if (!/^\d{1,19}$/.test(value) || BigInt(value) > MAX_BIGINT) throw badUserInput(`'${name}' must be an entry's seq, got '${value}'`, { input: value });
        return value;
      };
      const result = await verifyAuditChain(context.db, { from: bound(args.fromSeq, 'fromSeq'), to: bound(args.toSeq, 'toSeq') });
      return result.ok
        ? { ok: true, entries: result.entries, brokenAt: null, reason: null, headSeq: result.headSeq, headHash: result.headHash, verifiedAt: new Date().toISOString() }
        : { ok: false, entries: result.entries, brokenAt: result.brokenAt, reason: result.reason, headSeq: null, headHash: null, verifiedAt: new Date().toISOString() };
    },
  },
  Subject: {
    accessLog: async (subject: { code: string }, args: { first: number; after?: string | null }, context: Context) => {
      const first = requireFirst(args.first);
      const before = args.after ? decodeCursor(args.after, 'accessLog') : null;
      return connection(await accessLoader(context, first + 1, before).load(subject.code), first);
    },
  },
};
