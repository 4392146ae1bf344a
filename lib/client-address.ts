/**
 * Whose request it is, by address: the TCP peer, unless the peer is a proxy of the deployment
 * that proves it with the proxy secret (PROXY_SECRET) and names the client in X-Forwarded-For.
 * The website is such a proxy: every visitor's page asks the gateway from the website's own
 * address, so without this all visitors would share one PUBLIC rate limit and one audit address.
 * A forwarded address without the secret is ignored (anyone can send the header).
 */
import crypto from 'node:crypto';
import net from 'node:net';

export const FORWARDED_FOR_HEADER = 'x-forwarded-for';
export const PROXY_SECRET_HEADER = 'x-credit-graph-proxy';

function sameSecret(presented: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function clientAddress(
  peer: string,
  headers: Record<string, string | string[] | undefined>,
  proxySecret: string | undefined,
): string {
  const presented = headers[PROXY_SECRET_HEADER];
  const forwarded = headers[FORWARDED_FOR_HEADER];
  if (!proxySecret || typeof presented !== 'string' || typeof forwarded !== 'string') return peer;
  if (!sameSecret(presented, proxySecret)) return peer;
  // The proxy adds the client it answers; the first entry is the one it names.
  const named = forwarded.split(',')[0]!.trim();
  return net.isIP(named) ? named : peer;
}
