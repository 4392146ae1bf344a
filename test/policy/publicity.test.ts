/** Double publicity: published within 7 working days of the decision. */
import { PUBLICATION_WORKING_DAYS, publicationDeadline, publishedLate, workingDaysLate } from '../../subgraphs/credit/policy/publicity';

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

  it('counts public holidays and make-up days: the National Day week of 2025', () => {
    // Decided Monday 29 September 2025: 30 Sep, 9, 10, 11 (Saturday, worked), 13, 14, 15 October.
    expect(publicationDeadline('2025-09-29')).toBe('2025-10-15');
    expect(publishedLate('2025-09-29', '2025-10-15')).toBe(false);
    expect(publishedLate('2025-09-29', '2025-10-16')).toBe(true);
  });

  it('counts how many working days late a publication is', () => {
    expect(workingDaysLate('2025-06-04', '2025-06-13')).toBe(0);
    expect(workingDaysLate('2025-06-04', '2025-06-14')).toBe(1); // the Saturday after the deadline: late, through the next working day
    expect(workingDaysLate('2025-06-04', '2025-06-16')).toBe(1);
    expect(workingDaysLate('2025-06-04', '2025-06-17')).toBe(2);
    // Deadline Friday 26 September 2025 (decided 17 Sep); published Thursday 9 October: 28 Sep (a worked Sunday), 29 and 30 Sep, 9 Oct.
    expect(publicationDeadline('2025-09-17')).toBe('2025-09-26');
    expect(workingDaysLate('2025-09-17', '2025-10-09')).toBe(4);
  });
});
