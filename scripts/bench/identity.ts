/**
 * The subgraphs trust only callers signed with IDENTITY_SIGNING_KEY, so the
 * other gateways in the benchmark (stock Apollo Gateway, Hive Gateway) sign
 * the same caller our gateway forwards for the benchmark's credentials: the
 * credit office. A fresh signature per subgraph request (they expire in 60 s).
 */
import { IDENTITY_HEADER, signIdentity } from '../../lib/auth/identity-header';
import { scopesOf } from '../../lib/auth/roles';

export { IDENTITY_HEADER };

export function benchIdentity(key: string): string {
  return signIdentity({ clientId: 'benchmark', role: 'CREDIT_OFFICE', scopes: [...scopesOf('CREDIT_OFFICE')], purpose: 'benchmark', requestId: 'benchmark' }, key);
}

export function signingKeyFromEnv(): string {
  const key = process.env.IDENTITY_SIGNING_KEY;
  if (!key) throw new Error('IDENTITY_SIGNING_KEY is not set: the subgraphs refuse unsigned calls');
  return key;
}
