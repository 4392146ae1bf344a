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
import { maskPersonName, maskResidentId, validateSubjectCode } from './identifiers';

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

/** Every valid resident identity number inside a text (a record id, a message), masked. */
export function maskResidentIds(text: string): string {
  return text.replace(/\d{17}[\dXx]/g, (candidate) => {
    const checked = validateSubjectCode(candidate.toUpperCase());
    return checked.valid && checked.kind === 'NATURAL_PERSON' ? maskResidentId(checked.code) : candidate;
  });
}

/**
 * A text that may name natural persons (a list entry's code, a record id,
 * an error message), as this caller may see it: resident identity numbers
 * masked unless it holds `personal`. Where a caller names a person itself
 * (the subject it asked for), the code is the key it holds; where the graph
 * lists or echoes subjects the caller did not name, this applies.
 */
export function personalTextFor(caller: Pick<ForwardedIdentity, 'scopes'>, text: string): string {
  return seesPersonalData(caller) ? text : maskResidentIds(text);
}
