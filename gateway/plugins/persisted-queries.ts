/**
 * Persisted queries (Apollo's automatic persisted queries: `extensions:
 * { persistedQuery: { version: 1, sha256Hash } }`): a client may send only the
 * SHA-256 of an operation's text it sent before, and save the bandwidth.
 *
 * A hash stands for a text and for nothing else. It is turned back into the
 * text here, before the text is parsed, and from there on the request is the
 * same as one that sent the text in full: credentials, purpose and rate are
 * this request's own (decided before), and parse and validation, limits,
 * introspection, per-subject authorisation, field access, the cache and the
 * audit all judge that text for this request's caller. So a hash registered
 * by a client that may run an operation carries none of its rights to anyone
 * who replays it.
 *
 * A text is kept under its hash only when it came with that hash, the hash
 * matches it, and it parsed and validated. Off (PERSISTED_QUERIES=off), every
 * request naming a hash is answered PERSISTED_QUERY_NOT_SUPPORTED, so clients
 * fall back to sending the text. The store is this process's (an LRU); a
 * gateway that does not know a hash answers PERSISTED_QUERY_NOT_FOUND and the
 * client sends the text again, as the protocol has it.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { requestError, type GatewayPlugin, type GatewayRequest } from '../pipeline';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Memory kept for texts (their UTF-16 length, about their size). */
const DEFAULT_STORE_CHARS = 32 * 1024 * 1024;

export interface PersistedQueriesOptions {
  enabled: boolean;
  /** How much text the store keeps, in characters (default 32 M). */
  maxStoredChars?: number;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The protocol answers "send the text" with 200 and an error the client's link recognises; never cached. */
function protocolAnswer(request: GatewayRequest, code: 'PERSISTED_QUERY_NOT_FOUND' | 'PERSISTED_QUERY_NOT_SUPPORTED', message: string): void {
  request.outcome = 'BAD_USER_INPUT';
  request.responseHeaders['cache-control'] = 'private, no-cache, must-revalidate';
  request.respond(200, { errors: [requestError(code, message)] });
}

function badRequest(request: GatewayRequest, message: string): void {
  request.outcome = 'BAD_USER_INPUT';
  request.respond(400, { errors: [requestError('BAD_REQUEST', message)] });
}

/**
 * Texts are kept per caller (a client, or an anonymous caller's address): a store shared by all
 * told anyone whether some client had ever sent a text — PUBLIC could learn that a bank had looked
 * up a subject's tax arrears by asking for the hash of that query (found by the second black-box review).
 */
function storeKey(request: GatewayRequest, hash: string): string {
  return `${request.caller.clientId ?? `address:${request.ip}`}\u0000${hash}`;
}

export function persistedQueriesPlugin(options: PersistedQueriesOptions): GatewayPlugin {
  const texts = new LRUCache<string, string>({ maxSize: options.maxStoredChars ?? DEFAULT_STORE_CHARS, sizeCalculation: (text) => Math.max(1, text.length) });
  /** Requests whose text came with a matching hash: kept once it validated. */
  const toRegister = new WeakMap<GatewayRequest, string>();
  return {
    name: 'persisted-queries',
    onRequest(request) {
      const extensions = request.body.extensions;
      if (extensions === undefined || extensions === null) return;
      if (typeof extensions !== 'object' || Array.isArray(extensions)) return badRequest(request, '`extensions` must be a JSON object');
      const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
      if (persisted === undefined) return;
      if (!options.enabled) return protocolAnswer(request, 'PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported');
      if (typeof persisted !== 'object' || persisted === null || Array.isArray(persisted)) {
        return badRequest(request, '`extensions.persistedQuery` must be an object { "version": 1, "sha256Hash": "<64 hex digits>" }');
      }
      const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
      if (version !== 1) return badRequest(request, `Unsupported persisted query version: ${JSON.stringify(version ?? null)} (only 1)`);
      if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash.toLowerCase())) {
        return badRequest(request, '`extensions.persistedQuery.sha256Hash` must be the SHA-256 of the query text, 64 hexadecimal digits');
      }
      const hash = sha256Hash.toLowerCase();
      const query = request.body.query;
      if (query !== undefined && query !== null) {
        if (typeof query !== 'string' || sha256Hex(query) !== hash) return badRequest(request, 'provided sha does not match query');
        toRegister.set(request, hash);
        return;
      }
      const text = texts.get(storeKey(request, hash));
      if (text === undefined) return protocolAnswer(request, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
      // From here on the request carries the text itself, judged like any other.
      (request.body as { query?: unknown }).query = text;
    },
    onEnd(request) {
      const hash = toRegister.get(request);
      if (hash !== undefined && request.document && typeof request.body.query === 'string') texts.set(storeKey(request, hash), request.body.query);
    },
  };
}
