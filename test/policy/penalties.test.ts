/** Which serious penalties black-list a subject (one answer), and publication periods. */
import { BLACK_LIST_PENALTY_AREAS, isBlackListPenalty, penaltyPublicationYears, penaltyTrigger } from '../../subgraphs/credit/policy/penalties';

describe('penalties', () => {
  it('black-lists serious market penalties in food and drug, construction, work safety, special equipment and fire safety only', () => {
    expect([...BLACK_LIST_PENALTY_AREAS].sort()).toEqual(['CONSTRUCTION', 'FIRE_SAFETY', 'FOOD_AND_DRUG', 'SPECIAL_EQUIPMENT', 'WORK_SAFETY']);
    for (const area of BLACK_LIST_PENALTY_AREAS) expect(isBlackListPenalty('MARKET', { serious: true, area })).toBe(true);
    for (const area of ['PRODUCT_QUALITY', 'ADVERTISING', 'PRICE', 'UNFAIR_COMPETITION', 'OTHER']) expect(isBlackListPenalty('MARKET', { serious: true, area })).toBe(false);
    expect(isBlackListPenalty('MARKET', { serious: false, area: 'FOOD_AND_DRUG' })).toBe(false);
    expect(isBlackListPenalty('MARKET', { serious: true })).toBe(false);
  });

  it('black-lists every serious environmental penalty, and no other department by area', () => {
    expect(isBlackListPenalty('ENVIRONMENT', { serious: true })).toBe(true);
    expect(isBlackListPenalty('ENVIRONMENT', { serious: false })).toBe(false);
    expect(isBlackListPenalty('TAX', { serious: true, area: 'FOOD_AND_DRUG' })).toBe(false);
  });

  it('makes the trigger follow the same rule', () => {
    expect(penaltyTrigger('MARKET', { serious: true, area: 'FIRE_SAFETY' })).toBe('SERIOUS_PENALTY');
    expect(penaltyTrigger('MARKET', { serious: true, area: 'ADVERTISING' })).toBe('ADMINISTRATIVE_PENALTY');
    expect(penaltyTrigger('ENVIRONMENT', { serious: true })).toBe('SERIOUS_PENALTY');
    expect(penaltyTrigger('ENVIRONMENT', { serious: false })).toBe('ADMINISTRATIVE_PENALTY');
  });

  it('publishes a serious penalty three years and an ordinary one a year', () => {
    expect(penaltyPublicationYears(true)).toBe(3);
    expect(penaltyPublicationYears(false)).toBe(1);
  });
});
