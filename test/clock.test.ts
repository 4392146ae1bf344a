/** lib/clock.ts: times and days as China writes them, whatever the server's zone. */
import { dayInChina, timeInChina } from '../lib/clock';

describe('China time', () => {
  it('writes an instant in Beijing time and gives its day there, not the UTC day (the console showed filings a day early)', () => {
    expect(timeInChina('2026-12-01T18:14:08.632Z')).toBe('2026-12-02 02:14:08');
    expect(dayInChina('2026-12-01T18:14:08.632Z')).toBe('2026-12-02');
    expect(dayInChina('2026-12-01T15:59:59Z')).toBe('2026-12-01');
    expect(dayInChina('2026-12-01T16:00:00Z')).toBe('2026-12-02');
  });
});
