/**
 * The credit office (信用办) subgraph: the public credit platform's root
 * fields, subject-code validation, and the red, black and key-attention lists.
 */
import type { ResolverMap, SubgraphContext, SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { mergeResolverMaps } from '../../lib/resolvers';
import { checkResolvers } from './checks/resolvers';
import { historyResolvers } from './checks/history';
import { entryInForce } from './policy';
import { catalogueResolvers } from './catalogue-resolvers';
import { workflowResolvers } from './workflows';
import { publicationResolvers } from './publication';
import { authorisationResolvers } from './workflows/authorisations';
import { supervisionResolvers } from './supervision';
import { statisticsResolvers } from './statistics';
import { disclosureResolvers, visibleEntries } from './disclosure';
import { badUserInput, requireSubjectCode, requireSubjectCodes } from '../../lib/errors';
import { validateSubjectCode } from '../../lib/identifiers';
import { seesPersonalData } from '../../lib/personal-data';
import { isCalendarDate, todayInChina } from '../../lib/clock';
import { createCreditLoaders, listEntriesInForce, type CreditLoaders, type ListKind, type ListPosition } from './store';
import { internalRoutes } from './internal';
import { auditRoutes } from './audit-routes';
import { auditResolvers } from './audit-resolvers';
import { reportResolvers } from './reports';
import { identitySigningKey } from '../../lib/config';
import { notificationResolvers } from './notifications';
import { rectificationResolvers } from './rectification';
import { scheduleJobs } from './jobs';
import { publicReportResolvers } from './public-reports';
import { recordStatusDelivery } from './workflows/record-status-outbox';

type Context = SubgraphContext<CreditLoaders>;

/** Largest batch of codes one request may name (a bidding round of 1,000 bidders fits). */
export const MAX_BATCH = 1000;
export const MAX_PAGE = 100;

interface SubjectRef {
  code: string;
}

function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.since}|${position.id}`).toString('base64url');
}

const MAX_BIGINT = 9223372036854775807n;

/**
 * Reads a cursor back, refusing anything `encodeCursor` could not have made:
 * the database must never see an impossible date or an id beyond bigint,
 * which it would answer with an internal error instead of BAD_USER_INPUT.
 */
function decodeCursor(cursor: string): ListPosition {
  const refuse = () => badUserInput(`'after' is not a cursor returned by listEntries: ${cursor}`, { input: cursor });
  const match = /^(\d{4}-\d{2}-\d{2})\|(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw refuse();
  const [, since, id] = match as unknown as [string, string, string];
  if (!isCalendarDate(since)) throw refuse();
  if (BigInt(id) > MAX_BIGINT) throw refuse();
  return { since, id };
}

/** An optional date bound of a list page, or BAD_USER_INPUT naming it. */
function listDate(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!isCalendarDate(value)) throw badUserInput(`'${field}' must be an ISO-8601 date (YYYY-MM-DD), got '${value}'`, { field, reason: 'DATE', input: value });
  return value;
}

/** Subjects, code validation and the lists. */
const subjectAndListResolvers: ResolverMap = {
  Query: {
    subject: (_root: unknown, args: { code: string }): SubjectRef => ({ code: requireSubjectCode(args.code) }),
    subjects: (_root: unknown, args: { codes: string[] }): SubjectRef[] =>
      requireSubjectCodes(args.codes, MAX_BATCH).map((code) => ({ code })),
    listEntries: async (
      _root: unknown,
      args: { kind: ListKind; first: number; after?: string | null; department?: string | null; from?: string | null; to?: string | null },
      context: Context,
    ) => {
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE) {
        throw badUserInput(`'first' must be between 1 and ${MAX_PAGE}, got ${args.first}`);
      }
      const after = args.after ? decodeCursor(args.after) : null;
      const filter = { department: args.department ?? null, sinceFrom: listDate('from', args.from), sinceTo: listDate('to', args.to) };
      if (filter.sinceFrom && filter.sinceTo && filter.sinceFrom > filter.sinceTo) {
        throw badUserInput(`'from' (${filter.sinceFrom}) is after 'to' (${filter.sinceTo})`, { field: 'from', reason: 'PERIOD' });
      }
      const rows = await listEntriesInForce(context.db, args.kind, todayInChina(), args.first + 1, after, filter);
      const nodes = rows.slice(0, args.first);
      const last = nodes[nodes.length - 1];
      return {
        nodes,
        endCursor: last ? encodeCursor({ since: last.since, id: last.id }) : null,
        hasNextPage: rows.length > args.first,
      };
    },
  },
  ListEntry: {
    // A natural person's subject would carry the unmasked identity number (its code is the number):
    // only callers who may see personal data get it; the entry's own code is masked for the rest.
    subject: (entry: { code: string }, _args: unknown, context: SubgraphContext<CreditLoaders>): SubjectRef | null => {
      const checked = validateSubjectCode(entry.code);
      if (checked.valid && checked.kind === 'NATURAL_PERSON' && !seesPersonalData(context.caller)) return null;
      return { code: entry.code };
    },
  },
  Subject: {
    // The whole representation: it carries the market fields representedEntityEntries @requires
    // and the records creditReport @requires (reports.ts).
    __resolveReference: (reference: SubjectRef): SubjectRef => reference,
    kind: (subject: SubjectRef) => {
      const result = validateSubjectCode(subject.code);
      return result.valid ? result.kind : 'ORGANISATION';
    },
    // Withdrawn entries (revoked, corrected, repaired) only for callers with `records` (disclosure.ts).
    lists: async (subject: SubjectRef, _args: unknown, context: Context) => visibleEntries(context.caller, await context.loaders.lists.load(subject.code)),
    // Why a person carries an entity's person-level measures: the black-list entries in force of the entities they represent.
    representedEntityEntries: async (subject: SubjectRef & { market?: { representedEntities?: { code: string }[] | null } | null }, _args: unknown, context: Context) => {
      const today = todayInChina();
      const entities = subject.market?.representedEntities ?? [];
      const entries = await context.loaders.lists.loadMany(entities.map((entity) => entity.code));
      return entries.flatMap((list) => {
        if (list instanceof Error) throw list;
        return list;
      }).filter((entry) => entry.kind === 'BLACK' && !entry.withdrawal && entryInForce(entry, today));
    },
  },
};

export const creditSubgraph: SubgraphDefinition<CreditLoaders> = {
  name: 'credit',
  migrationsDir: migrationsDirOf('credit'),
  createLoaders: createCreditLoaders,
  // The gateway's internal endpoints: the API-key lookup and the audit log's delivery
  // (audit-routes.ts). The key is read when the app is built; without one nothing internal is served.
  // And the delivery of the workflows' decisions to the departments (workflows/record-status-outbox.ts).
  routes: async (app, db) => {
    const signingKey = identitySigningKey();
    await internalRoutes({ signingKey })(app, db);
    await auditRoutes({ signingKey })(app, db);
    // Breaches of overdue commitments, overdue rectifications (jobs.ts).
    scheduleJobs(app, db);
    // Decisions queued for the departments' own disclosure, delivered at start and until taken.
    recordStatusDelivery(app, db);
  },
  // One resolver map per concern of the credit office, merged (a field defined twice is an error).
  resolvers: mergeResolverMaps(subjectAndListResolvers, publicationResolvers, checkResolvers, historyResolvers, catalogueResolvers, workflowResolvers, disclosureResolvers, supervisionResolvers, statisticsResolvers, authorisationResolvers, auditResolvers, reportResolvers, notificationResolvers, rectificationResolvers, publicReportResolvers),
};
