/**
 * Search of credit subjects by name or code (一站式查询: 甘州 二(一), 柴桑 (十六)) over market
 * supervision's registrations, the register that names every organisation. Each word of the
 * query (广州 隆正 is two) must be in the name or come close to it: a long word by pg_trgm
 * similarity (migrations/016_subject_search.sql), a short one by the pairs of characters it
 * shares with the name (migrations/020_subject_search_bigrams.sql), so a full name, a part of it
 * or either with a mistyped character all find the subject, best match first; a code or the
 * start of one finds it by code. Pages are keyed by (score, code), so a cursor stays valid while the
 * register does not change, and no page repeats or skips a hit.
 */
import type { Database } from '../../lib/db';
import { badUserInput } from '../../lib/errors';
import type { SubgraphContext } from '../../lib/subgraph';

export const MAX_SEARCH_PAGE = 50;
export const MAX_QUERY_LENGTH = 100;

/**
 * How close a name must come to a long query word (LONG_TERM characters or more) for a mistyped
 * one to count: pg_trgm word similarity, whose default (0.6) drops one wrong character in a
 * whole name; 0.4 keeps it and still drops names that share only 有限公司 with the query.
 */
const WORD_SIMILARITY_THRESHOLD = 0.4;

/**
 * From this many characters a query word is matched by trigrams (fast on long words, and one
 * wrong character leaves most of them); shorter words by their pairs of characters
 * (migrations/020_subject_search_bigrams.sql), where trigrams fail: measured on the 20,000
 * seeded names, one wrong character in six found the name 70 times in 100 by trigrams and 100
 * by pairs (docs/website.md).
 */
const LONG_TERM = 8;

/**
 * The share of a short word's pairs a name must hold to match it when it does not contain the
 * word: one wrong character inside a word of six or seven characters (it breaks two of the
 * pairs), or at either end of one of four or five (it breaks one), and nothing shorter.
 */
const PAIR_SHARE = 0.6;

/** At most this many words of a query are matched (each must match); more are one word too many for a name. */
const MAX_TERMS = 6;

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

/** The words of a normalised query (广州 隆正 is two), each once, at most MAX_TERMS. */
export function searchTerms(query: string): string[] {
  return [...new Set(query.split(' '))].slice(0, MAX_TERMS);
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Adds a value to a statement's parameters and answers its placeholder. */
type Param = (value: unknown) => string;

/** The distinct pairs of adjacent characters of a word, as migration 020's text_bigrams makes a name's. */
export function textBigrams(word: string): string[] {
  const chars = [...word];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i]! + chars[i + 1]!;
    if (!/\s/.test(pair)) pairs.add(pair);
  }
  return [...pairs].sort();
}

/**
 * Which names may hold `needed` of the pairs: those holding two of them (some two, when two or
 * more are needed), one index lookup each, so the shares are counted for a few names only and
 * not for every name of the query's city (广州) or industry (制药).
 */
function pairCandidates(pairs: string[], needed: number, param: Param): string {
  const sets = needed < 2 ? pairs.map((p) => [p]) : pairs.flatMap((a, i) => pairs.slice(i + 1).map((b) => [a, b]));
  return `(${sets.map((set) => `name_bigrams @> ${param(set)}::text[]`).join(' OR ')})`;
}

/** How a query word is matched: a single character by containment, a long word by trigrams, a short one by its pairs. */
type Term =
  | { text: string; by: 'CHARACTER' | 'TRIGRAMS' }
  | { text: string; by: 'PAIRS'; pairs: string[]; needed: number };

function term(text: string): Term {
  const length = [...text].length;
  if (length === 1) return { text, by: 'CHARACTER' };
  if (length >= LONG_TERM) return { text, by: 'TRIGRAMS' };
  const pairs = textBigrams(text);
  return { text, by: 'PAIRS', pairs, needed: Math.ceil(PAIR_SHARE * pairs.length) };
}

/**
 * Whether a name matches a word: contains it, or comes close to it. Every branch is one the name
 * indexes serve (trigram GIN for LIKE and <%, the pairs' GIN for @>).
 */
function termMatches(word: Term, param: Param): string {
  switch (word.by) {
    case 'CHARACTER':
      return `name LIKE ${param(likePattern(word.text))}`;
    case 'TRIGRAMS':
      return `(name LIKE ${param(likePattern(word.text))} OR ${param(word.text)} <% name)`;
    case 'PAIRS':
      // A name that contains the word holds all its pairs: the pairs alone decide the match.
      return `(${pairCandidates(word.pairs, word.needed, param)} AND bigram_overlap(name_bigrams, ${param(word.pairs)}::text[]) >= ${word.needed})`;
  }
}

/** How well a matching name matches a word: 1 when it contains it, else the share of it the name comes close to. */
function termScore(word: Term, param: Param): string {
  const contains = `name LIKE ${param(likePattern(word.text))}`;
  switch (word.by) {
    case 'CHARACTER':
      return `CASE WHEN ${contains} THEN 1 ELSE 0 END`;
    case 'TRIGRAMS':
      return `CASE WHEN ${contains} THEN 1 ELSE word_similarity(${param(word.text)}, name) END`;
    case 'PAIRS':
      return `CASE WHEN ${contains} THEN 1 ELSE bigram_overlap(name_bigrams, ${param(word.pairs)}::text[])::numeric / ${word.pairs.length} END`;
  }
}

interface SearchSql {
  /** The WHERE condition of a matching registration. */
  matches: string;
  /** Its parameters: the first of `params`. */
  matchParams: number;
  /** Its score, rounded to 6 places (the cursor's precision). */
  score: string;
  /** Whether it matched by code. */
  byCode: string;
  params: unknown[];
}

/**
 * The condition and score of a search. The score is 4 the exact code, 3 the exact name, 2.5 a
 * code starting with the query; by name, 1 plus the name's trigram similarity to the query
 * when the name contains every word (shorter names first), else under 1: the mean share of
 * each word the name holds, with a tenth of the similarity to order equal shares.
 */
function searchSql(rawQuery: string): SearchSql {
  const query = normaliseSearchQuery(rawQuery);
  const codeQuery = CODE_QUERY.test(query.toUpperCase()) ? query.toUpperCase() : '';
  const params: unknown[] = [];
  const param: Param = (value) => `$${params.push(value)}`;
  const terms = searchTerms(query).map(term);
  const nameMatches = terms.map((word) => termMatches(word, param)).join(' AND ');
  // A code query holds no LIKE wildcard (CODE_QUERY).
  const prefix = codeQuery ? param(`${codeQuery}%`) : null;
  // What only the score needs comes after: the count's statement takes the parameters before.
  const matchParams = params.length;
  const whole = param(query);
  const mean = `((${terms.map((word) => termScore(word, param)).join(' + ')}) / ${terms.length}.0)`;
  const nameScore = `CASE WHEN name = ${whole} THEN 3 WHEN ${mean} >= 1 THEN 1 + similarity(${whole}, name) ELSE 0.9 * ${mean} + 0.1 * similarity(${whole}, name) END`;
  if (!prefix) return { matches: `(${nameMatches})`, matchParams, score: `round((${nameScore})::numeric, 6)`, byCode: 'false', params };
  const codeScore = `CASE WHEN subject_code = ${param(codeQuery)} THEN 4 WHEN subject_code LIKE ${prefix} THEN 2.5 ELSE 0 END`;
  return {
    matches: `(subject_code LIKE ${prefix} OR (${nameMatches}))`,
    matchParams,
    score: `round(GREATEST(${codeScore}, ${nameScore})::numeric, 6)`,
    byCode: `subject_code LIKE ${prefix}`,
    params,
  };
}

const countStatement = (sql: SearchSql) => ({ text: `SELECT count(*)::int AS total FROM registration WHERE ${sql.matches}`, params: sql.params.slice(0, sql.matchParams) });

/** The statement that counts a query's matches, to see how the database runs it (EXPLAIN). */
export const searchCountStatement = (rawQuery: string) => countStatement(searchSql(rawQuery));

export async function searchRegistrations(
  db: Database,
  rawQuery: string,
  first: number,
  after: string | null | undefined,
): Promise<{ hits: HitRow[]; hasNextPage: boolean; totalCount: number }> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH_PAGE) {
    throw badUserInput(`'first' must be between 1 and ${MAX_SEARCH_PAGE}, got ${first}`, { reason: 'PAGE_SIZE' });
  }
  const position = after ? decodeSearchCursor(after) : null;
  const sql = searchSql(rawQuery);
  const n = sql.params.length;
  return db.transaction(async (tx) => {
    // SET LOCAL: the threshold holds for this search only, not for the pooled connection.
    await tx.query(`SET LOCAL pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
    const counting = countStatement(sql);
    const [count] = await tx.query<{ total: number }>(counting.text, counting.params);
    const hits = await tx.query<HitRow>(
      `SELECT subject_code, score::text AS score, CASE WHEN by_code THEN 'CODE' ELSE 'NAME' END AS matched_by
         FROM (SELECT subject_code, ${sql.score} AS score, ${sql.byCode} AS by_code FROM registration WHERE ${sql.matches}) ranked
        WHERE $${n + 1}::numeric IS NULL OR score < $${n + 1}::numeric OR (score = $${n + 1}::numeric AND subject_code > $${n + 2})
        ORDER BY score DESC, subject_code
        LIMIT $${n + 3}`,
      [...sql.params, position?.score ?? null, position?.code ?? '', first + 1],
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
