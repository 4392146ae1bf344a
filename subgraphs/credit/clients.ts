/**
 * The credit office's register of client systems and their API keys
 * (table api_client, migration 005). A key is `cgk_` + 32 random bytes in
 * base64url; only its SHA-256 is stored (the migration says why a fast hash
 * is right for a random key), so the key is returned once, by createClient,
 * and can never be shown again: a lost key is revoked and a new client made.
 */
import crypto from 'node:crypto';
import type { Queryable } from '../../lib/db';
import { CREDENTIAL_ROLES, isCredentialRole, isRecordDepartment, RECORD_DEPARTMENTS, type CredentialRole } from '../../lib/auth/roles';

export const API_KEY_PREFIX = 'cgk_';
/** `cgk_` and the base64url of 32 bytes (43 characters, no padding). */
const API_KEY_FORMAT = /^cgk_[A-Za-z0-9_-]{43}$/;
const KEY_PREFIX_LENGTH = 8;
const MAX_NAME_LENGTH = 200;

export interface ApiClient {
  id: string;
  name: string;
  role: CredentialRole;
  /** The department a DEPARTMENT client acts for (null for every other role). */
  department: string | null;
  /** The first 8 characters of the key, for people to tell keys apart. */
  keyPrefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface AuthenticatedClient {
  clientId: string;
  name: string;
  role: CredentialRole;
  expiresAt: string | null;
  department: string | null;
}

export type ApiKeyRefusal = 'UNKNOWN' | 'EXPIRED' | 'REVOKED';

/** A refused input (unknown role, bad name, unknown client): the CLI shows the message as it is. */
export class ClientRegistryError extends Error {
  constructor(
    message: string,
    readonly reason: 'BAD_ROLE' | 'BAD_NAME' | 'BAD_EXPIRY' | 'BAD_DEPARTMENT' | 'NOT_FOUND',
  ) {
    super(message);
    this.name = 'ClientRegistryError';
  }
}

interface ClientRow {
  id: string;
  name: string;
  role: string;
  department: string | null;
  key_prefix: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
}

const COLUMNS = 'id, name, role, department, key_prefix, created_at, expires_at, revoked_at';

const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

function toClient(row: ClientRow): ApiClient {
  return {
    id: row.id,
    name: row.name,
    role: row.role as CredentialRole,
    department: row.department,
    keyPrefix: row.key_prefix,
    createdAt: iso(row.created_at),
    expiresAt: isoOrNull(row.expires_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}

export function hashApiKey(apiKey: string): string {
  return crypto.createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

export function isApiKeyFormat(value: string): boolean {
  return API_KEY_FORMAT.test(value);
}

function newApiKey(): string {
  return `${API_KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
}

function newClientId(): string {
  return `cli_${crypto.randomBytes(10).toString('hex')}`;
}

export interface NewClient {
  name: string;
  role: string;
  /** When the key stops working; none means it works until revoked. */
  expiresAt?: Date | null;
  /** Required for (and only for) a DEPARTMENT client: the department whose records it acts for. */
  department?: string | null;
}

/** Registers a client and returns its API key: the only time the key exists outside the caller's hands. */
export async function createClient(
  db: Queryable,
  input: NewClient,
  now: Date = new Date(),
): Promise<{ client: ApiClient; apiKey: string }> {
  if (!isCredentialRole(input.role)) {
    throw new ClientRegistryError(`unknown role '${input.role}': one of ${CREDENTIAL_ROLES.join(', ')} (PUBLIC needs no key)`, 'BAD_ROLE');
  }
  const name = input.name.trim();
  if (name === '' || name.length > MAX_NAME_LENGTH) {
    throw new ClientRegistryError(`a client's name must be 1 to ${MAX_NAME_LENGTH} characters`, 'BAD_NAME');
  }
  const department = input.department ?? null;
  if (input.role === 'DEPARTMENT' && !isRecordDepartment(department)) {
    throw new ClientRegistryError(
      `a DEPARTMENT client is registered for one department: --department ${RECORD_DEPARTMENTS.join(' | ')}${department ? `, not '${department}'` : ''}`,
      'BAD_DEPARTMENT',
    );
  }
  if (input.role !== 'DEPARTMENT' && department !== null) {
    throw new ClientRegistryError(`only a DEPARTMENT client has a department; a ${input.role} client does not`, 'BAD_DEPARTMENT');
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime())) {
    throw new ClientRegistryError('the expiry must be a time in the future', 'BAD_EXPIRY');
  }
  const apiKey = newApiKey();
  const [row] = await db.query<ClientRow>(
    `INSERT INTO api_client (id, name, role, key_prefix, key_hash, created_at, expires_at, department)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [newClientId(), name, input.role, apiKey.slice(0, KEY_PREFIX_LENGTH), hashApiKey(apiKey), now, expiresAt, department],
  );
  return { client: toClient(row!), apiKey };
}

/**
 * Revokes a client's key from now on. Revoking again changes nothing (the
 * first revocation time stays); an unknown id is refused, so a typo is not
 * mistaken for a revocation.
 */
export async function revokeClient(db: Queryable, id: string): Promise<ApiClient> {
  const [row] = await db.query<ClientRow>(
    `UPDATE api_client SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  if (!row) throw new ClientRegistryError(`no client with id '${id}'`, 'NOT_FOUND');
  return toClient(row);
}

/** Every client, oldest first, without anything derived from the key but its display prefix. */
export async function listClients(db: Queryable): Promise<ApiClient[]> {
  const rows = await db.query<ClientRow>(`SELECT ${COLUMNS} FROM api_client ORDER BY created_at, id`);
  return rows.map(toClient);
}

/**
 * Who holds this key, or why it is refused. A revoked key is reported as
 * revoked even after its expiry (revocation is the deliberate act). A string
 * that is not shaped like a key is UNKNOWN without a query.
 */
export async function authenticateApiKey(
  q: Queryable,
  apiKey: string,
  now: Date = new Date(),
): Promise<AuthenticatedClient | { refused: ApiKeyRefusal }> {
  if (!isApiKeyFormat(apiKey)) return { refused: 'UNKNOWN' };
  const [row] = await q.query<ClientRow>(`SELECT ${COLUMNS} FROM api_client WHERE key_hash = $1`, [hashApiKey(apiKey)]);
  if (!row) return { refused: 'UNKNOWN' };
  if (row.revoked_at !== null) return { refused: 'REVOKED' };
  if (row.expires_at !== null && new Date(row.expires_at).getTime() <= now.getTime()) return { refused: 'EXPIRED' };
  if (!isCredentialRole(row.role)) return { refused: 'UNKNOWN' };
  // A department client without its department acts for nobody (the register refuses one; never trust a row that has none).
  if (row.role === 'DEPARTMENT' && !isRecordDepartment(row.department)) return { refused: 'UNKNOWN' };
  return { clientId: row.id, name: row.name, role: row.role, expiresAt: isoOrNull(row.expires_at), department: row.department };
}
