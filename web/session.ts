/**
 * Console sessions: the API key a clerk typed stays on the server, the browser holds only a
 * random session id in an HttpOnly, SameSite=Strict cookie (no script can read it, no other
 * site can send it). Sessions live in this process and end after 8 idle hours or at logout.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Credential } from './graph';

export const SESSION_COOKIE = 'cg_console';
const IDLE_MS = 8 * 60 * 60 * 1000;

/** A bidder check as its downloads write it: the header and one row per input line. */
export interface SavedCheck {
  header: string[];
  rows: string[][];
}

export interface Session {
  credential: Credential;
  lastSeen: number;
  /**
   * The session's recent bidder checks by their id, for their downloads: a download names the
   * check it is of, so two tabs (two tenders) never get each other's results.
   */
  checks: Map<string, SavedCheck>;
}

/** Checks a session keeps for download; the oldest goes first (each may hold 1,000 rows, for 8 idle hours). */
export const MAX_SAVED_CHECKS = 5;

/** Keeps a check in the session under a new random id (unguessable: it names the check in a URL), and returns the id. */
export function saveCheck(session: Session, check: SavedCheck): string {
  const id = crypto.randomBytes(12).toString('base64url');
  session.checks.set(id, check);
  for (const old of session.checks.keys()) {
    if (session.checks.size <= MAX_SAVED_CHECKS) break;
    session.checks.delete(old);
  }
  return id;
}

export function cookies(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly secureCookies: 'auto' | 'always' = 'auto',
  ) {}

  open(reply: FastifyReply, credential: Credential): Session {
    const id = crypto.randomBytes(32).toString('base64url');
    const session: Session = { credential, lastSeen: this.now(), checks: new Map() };
    this.sessions.set(id, session);
    reply.header('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${IDLE_MS / 1000}${secureFlag(reply.request, this.secureCookies)}`);
    return session;
  }

  get(request: FastifyRequest): Session | null {
    const id = cookies(request)[SESSION_COOKIE];
    const session = id ? this.sessions.get(id) : undefined;
    if (!id || !session) return null;
    if (this.now() - session.lastSeen > IDLE_MS) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeen = this.now();
    return session;
  }

  close(request: FastifyRequest, reply: FastifyReply): void {
    const id = cookies(request)[SESSION_COOKIE];
    if (id) this.sessions.delete(id);
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secureFlag(request, this.secureCookies)}`);
  }
}

/**
 * `; Secure` when the browser reached the site over HTTPS, so the cookie never travels in clear:
 * TLS to this process, or a proxy in front saying so (X-Forwarded-Proto; a forged one only makes a
 * visitor's own cookie stricter); always with WEB_SECURE_COOKIES=always.
 */
function secureFlag(request: FastifyRequest, mode: 'auto' | 'always'): string {
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  return mode === 'always' || request.protocol === 'https' || forwarded === 'https' ? '; Secure' : '';
}
