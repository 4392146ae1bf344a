/**
 * Search of credit subjects by name or code (一站式查询: 甘州 二(一), 柴桑 (十六)) over market
 * supervision's registrations, the register that names every organisation. Names are ranked
 * by pg_trgm similarity (migrations/016_subject_search.sql), so a full name, a part of it or a
 * name with a mistyped character all find the subject, best match first; a code or the start of
 * one finds it by code. Pages are keyed by (score, code), so a cursor stays valid while the
 * register does not change, and no page repeats or skips a hit.
 */
import type { Database } from '../../lib/db';
import { badUserInput } from '../../lib/errors';
import type { SubgraphContext } from '../../lib/subgraph';

export const MAX_SEARCH_PAGE = 50;
export const MAX_QUERY_LENGTH = 100;

/**
 * How close a name must come to the query's characters for a mistyped name to count. pg_trgm's
 * default (0.6) drops a one-character typo in a six-character Chinese name; 0.4 keeps it and
 * still drops names that only share a common word such as 有限公司 with a long query.
 */
const WORD_SIMILARITY_THRESHOLD = 0.4;

/** What a code query looks like: the characters of a USCC or resident ID, at least four of them. */
const CODE_QUERY = /^[0-9A-Z]{4,18}$/;

export interface SearchPosition {
  score: string;
  code: string;
}

interface HitRow {
  subject_code: string;
  score: string;
  matched_by: 'CODE' | 'NAME';
}

export function encodeSearchCursor(position: SearchPosition): string {
  return Buffer.from(`${position.score}|${position.code}`).toString('base64url');
}

function decodeSearchCursor(cursor: string): SearchPosition {
  const match = /^(\d\.\d{6})\|([0-9A-Z]{18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badUserInput(`'after' is not a cursor returned by searchSubjects: ${cursor}`, { reason: 'CURSOR', input: cursor });
  return { score: match[1]!, code: match[2]! };
}

/** Whitespace collapsed; refuses what cannot be searched, saying why. */
export function normaliseSearchQuery(raw: string): string {
  const query = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (query === '') throw badUserInput('the search query is empty: give a name, part of a name or a code', { reason: 'EMPTY' });
  if ([...query].length > MAX_QUERY_LENGTH) {
    throw badUserInput(`the search query is longer than ${MAX_QUERY_LENGTH} characters`, { reason: 'TOO_LONG', limit: MAX_QUERY_LENGTH });
  }
  return query;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The score of a registration for the query ($1 name text, $2 code text or ''):
 * 4 the exact code, 3 the exact name, 2.5 a code starting with the query, otherwise the
 * name's word similarity (1 when the query is part of the name) plus its whole-name
 * similarity, which ranks shorter names containing the query above longer ones.
 */
const SCORE = `round(GREATEST(
    CASE WHEN $2 <> '' AND subject_code = $2 THEN 4 WHEN $2 <> '' AND subject_code LIKE $2 || '%' THEN 2.5 ELSE 0 END,
    CASE WHEN name = $1 THEN 3 ELSE word_similarity($1, name) + similarity($1, name) END
  )::numeric, 6)`;

const MATCHES = `(($2 <> '' AND subject_code LIKE $2 || '%') OR name LIKE $3 OR $1 <% name)`;

export async function searchRegistrations(
  db: Database,
  rawQuery: string,
  first: number,
  after: string | null | undefined,
): Promise<{ hits: HitRow[]; hasNextPage: boolean; totalCount: number }> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_PAGE) {
    throw badUserInput(`'first' must be between 1 and ${MAX_SEARCH_PAGE}, got ${first}`, { reason: 'PAGE_SIZE' });
  }
  const query = normaliseSearchQuery(rawQuery);
  const codeQuery = CODE_QUERY.test(query.toUpperCase()) ? query.toUpperCase() : '';
  const position = after ? decodeSearchCursor(after) : null;
  const params = [query, codeQuery, likePattern(query)];
  return db.transaction(async (tx) => {
    // SET LOCAL: the threshold holds for this search only, not for the pooled connection.
    await tx.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
    const [count] = await tx.query<{ total: number }>(`SELECT count(*)::int AS total FROM registration WHERE ${MATCHES}`, params);
    const hits = await tx.query<HitRow>(
      `SELECT subject_code, score::text AS score,
              CASE WHEN $2 <> '' AND subject_code LIKE $2 || '%' THEN 'CODE' ELSE 'NAME' END AS matched_by
         FROM (SELECT subject_code, ${SCORE} AS score FROM registration WHERE ${MATCHES}) ranked
        WHERE $4::numeric IS NULL OR score < $4::numeric OR (score = $4::numeric AND subject_code > $5)
        ORDER BY score DESC, subject_code
        LIMIT $6`,
      [...params, position?.score ?? null, position?.code ?? '', first + 1],
    );
    return { hits: hits.slice(0, first), hasNextPage: hits.length > first, totalCount: count?.total ?? 0 };
  });
}

export const searchResolvers = {
  Query: {
    searchSubjects: async (
      _root: unknown,
      args: { query: string; first: number; after?: string | null },
      context: SubgraphContext<unknown>,
    ) => {
      const { hits, hasNextPage, totalCount } = await searchRegistrations(context.db, args.query, args.first, args.after);
      const last = hits[hits.length - 1];
      return {
        nodes: hits.map((hit) => ({ subject: { code: hit.subject_code }, matchedBy: hit.matched_by, score: Number(hit.score) })),
        endCursor: last ? encodeSearchCursor({ score: last.score, code: last.subject_code }) : null,
        hasNextPage,
        totalCount,
      };
    },
  },
};
