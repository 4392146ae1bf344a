/** Double publicity: published within 7 working days of the decision. */
import { PUBLICATION_WORKING_DAYS, publicationDeadline, publishedLate } from '../../subgraphs/credit/policy/publicity';

describe('double publicity deadline', () => {
  it('is the 7th working day after the decision', () => {
    expect(PUBLICATION_WORKING_DAYS).toBe(7);
    expect(publicationDeadline('2025-06-02')).toBe('2025-06-11');
    expect(publicationDeadline('2025-06-04')).toBe('2025-06-13');
  });

  it('is late once the deadline has passed before publication', () => {
    expect(publishedLate('2025-06-02', '2025-06-11')).toBe(false);
    expect(publishedLate('2025-06-02', '2025-06-12')).toBe(true);
    expect(publishedLate('2025-06-04', '2025-06-14')).toBe(true);
    expect(publishedLate('2025-06-04', '2025-06-13')).toBe(false);
  });
});
