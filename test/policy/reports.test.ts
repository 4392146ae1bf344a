/** Reports from the public: a key that cannot be guessed, and a receipt answered again only to a retry. */
import { MIN_REPORT_KEY_DISTINCT, MIN_REPORT_KEY_LENGTH, REPORT_RETRY_MINUTES, reportKeyRefusal, retryAnswersReceipt } from '../../subgraphs/credit/policy';

describe('report keys and receipts (甘州 四(五); 柴桑 (十二): the reporter protected)', () => {
  it('refuses a key shorter than 16 characters or with fewer than 10 distinct ones, and takes a UUID', () => {
    expect([MIN_REPORT_KEY_LENGTH, MIN_REPORT_KEY_DISTINCT]).toEqual([16, 10]);
    expect(reportKeyRefusal('aaaaaaaaaaaaaaaa')).toBe('WEAK_KEY');
    expect(reportKeyRefusal('abababababababababababab')).toBe('WEAK_KEY');
    expect(reportKeyRefusal('012345678')).toBe('WEAK_KEY');
    expect(reportKeyRefusal('0123456789abcde')).toBe('WEAK_KEY'); // 15 characters, all distinct
    expect(reportKeyRefusal('0123456789abcdef')).toBeNull();
    expect(reportKeyRefusal('012345678900000000')).toBeNull(); // exactly 10 distinct
    expect(reportKeyRefusal('01234567800000000')).toBe('WEAK_KEY'); // 9 distinct
    expect(reportKeyRefusal('8c7f1e2a-3b4d-4e5f-9a6b-7c8d9e0f1a2b')).toBeNull();
  });

  it('answers the receipt to a retry within 15 minutes of the submission only', () => {
    expect(REPORT_RETRY_MINUTES).toBe(15);
    expect(retryAnswersReceipt(0)).toBe(true);
    expect(retryAnswersReceipt(15 * 60)).toBe(true);
    expect(retryAnswersReceipt(15 * 60 + 1)).toBe(false);
    expect(retryAnswersReceipt(86_400)).toBe(false);
  });
});
