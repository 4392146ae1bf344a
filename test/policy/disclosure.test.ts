/** Disclosure windows, as the policy re-exports them from lib/disclosure.ts (one definition). */
import * as policy from '../../subgraphs/credit/policy/disclosure';
import * as lib from '../../lib/disclosure';

describe('disclosure windows', () => {
  it('are the departments’ single definition', () => {
    expect(policy.isDisclosed).toBe(lib.isDisclosed);
    expect(policy.disclosedTo).toBe(lib.disclosedTo);
  });

  it('publish a penalty within its publication period, a licence while valid, a list entry in force, a debtor not removed', () => {
    const today = '2026-11-24';
    expect(policy.isDisclosed('penalty', { publishedOn: '2026-01-01', publicationEndsOn: '2026-11-25' }, today)).toBe(true);
    expect(policy.isDisclosed('penalty', { publishedOn: '2026-01-01', publicationEndsOn: today }, today)).toBe(false);
    expect(policy.isDisclosed('penalty', { publishedOn: null, publicationEndsOn: null }, today)).toBe(false);
    expect(policy.isDisclosed('licence', { publishedOn: '2026-01-01', validUntil: today }, today)).toBe(true);
    expect(policy.isDisclosed('listEntry', { listedOn: '2026-11-25', removedOn: null }, today)).toBe(false);
    expect(policy.isDisclosed('dishonestDebtor', { removedOn: today }, today)).toBe(false);
    expect(policy.disclosedTo({ scopes: ['records'] }, 'dishonestDebtor', [{ removedOn: '2020-01-01' }], today)).toHaveLength(1);
    expect(policy.disclosedTo({ scopes: ['public'] }, 'dishonestDebtor', [{ removedOn: '2020-01-01' }], today)).toHaveLength(0);
  });
});
