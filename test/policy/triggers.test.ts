/** Triggers and their polarity: what punishes, what rewards, and who holds it. */
import { heldBy, isAdverse, TRIGGER_NAMES, TRIGGERS } from '../../subgraphs/credit/policy/triggers';

describe('triggers', () => {
  it('rewards only the red-list records and three clean years; everything else is adverse', () => {
    expect(TRIGGER_NAMES.filter((t) => !isAdverse(t))).toEqual(['TAX_RATING_A', 'ENVIRONMENTAL_RATING_GREEN', 'CONTRACT_HONOURING', 'NO_ADVERSE_RECORD_3_YEARS']);
    expect(isAdverse('DISHONEST_JUDGMENT_DEBTOR')).toBe(true);
    expect(isAdverse('COMMITMENT_BREACH')).toBe(true);
  });

  it('names the departments whose records can be each trigger', () => {
    expect(heldBy('DISHONEST_JUDGMENT_DEBTOR', 'COURTS')).toBe(true);
    expect(heldBy('DISHONEST_JUDGMENT_DEBTOR', 'MARKET')).toBe(false);
    expect(heldBy('SERIOUS_PENALTY', 'ENVIRONMENT')).toBe(true);
    expect(heldBy('COMMITMENT_BREACH', 'CREDIT_OFFICE')).toBe(true);
    expect(heldBy('CONTRACT_HONOURING', 'MARKET')).toBe(true);
    // A represented entity's black-listing is initiated by whichever department made it.
    for (const department of ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'] as const) expect(heldBy('REPRESENTS_BLACKLISTED_ENTITY', department)).toBe(true);
    for (const trigger of TRIGGER_NAMES) expect(TRIGGERS[trigger].departments.length).toBeGreaterThan(0);
  });

  it('describes the serious penalty as the one black-list rule says', () => {
    expect(TRIGGERS.SERIOUS_PENALTY.description).toMatch(/food and drug, construction, work safety \(special equipment included\), fire safety; every serious environmental penalty/);
  });
});
