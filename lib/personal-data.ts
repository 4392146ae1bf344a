/**
 * Natural persons named on records (legal representatives, restricted
 * persons). Their name and resident identity number leave the subgraph
 * masked (110101********123X, 张**) unless the caller's scopes include
 * `personal` (lib/auth/roles.ts).
 *
 * Only names and identity numbers *on* a record are masked here: a natural
 * person's own code (a resident identity number) is the key of the subject
 * the caller asked for, and of records about that subject, so it is never
 * masked (the caller already holds it, and the graph could not join on a
 * masked key).
 */
import type { ForwardedIdentity } from './auth/identity-header';
import { maskPersonName, maskResidentId } from './identifiers';

export interface PersonView {
  name: string;
  residentId: string;
}

/** Whether the caller may see natural persons' names and identity numbers unmasked. */
export function seesPersonalData(caller: Pick<ForwardedIdentity, 'scopes'>): boolean {
  return caller.scopes.includes('personal');
}

/** A person named on a record, as this caller may see them. */
export function personFor(caller: Pick<ForwardedIdentity, 'scopes'>, name: string, residentId: string): PersonView {
  if (seesPersonalData(caller)) return { name, residentId };
  return { name: maskPersonName(name), residentId: maskResidentId(residentId) };
}
