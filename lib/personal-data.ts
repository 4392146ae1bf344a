/**
 * Natural persons named on records (legal representatives, restricted
 * persons). Until a caller is entitled to see personal data, the identity
 * number and name leave the subgraph masked.
 */
import { maskPersonName, maskResidentId } from './identifiers';

export interface PersonView {
  name: string;
  residentId: string;
}

export function maskedPerson(name: string, residentId: string): PersonView {
  return { name: maskPersonName(name), residentId: maskResidentId(residentId) };
}
