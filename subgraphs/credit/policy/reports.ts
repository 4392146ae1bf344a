/**
 * Reports from the public (举报, 甘州 四(五); 柴桑 (十二): the reporter's identity is protected):
 * the receipt a reporter follows a report by is derived from the key its client sent, so the key
 * is what protects the report — a guessable key ("aaaaaaaaaaaaaaaa") would let anyone who guesses
 * it and the content have the receipt and follow the report. A key is long and varied enough not
 * to be guessed (the website sends a random UUID), and resending it answers the receipt only while
 * a retry is plausible (a lost answer, a double click, a reload), not to whoever sends it later.
 * The figures are not the seeds': to be confirmed by the credit office.
 */

/** The shortest idempotency key a reporter may send. */
export const MIN_REPORT_KEY_LENGTH = 16;
/** The fewest distinct characters in it (a UUID has about 15). */
export const MIN_REPORT_KEY_DISTINCT = 10;
/** How long after a submission the same key and content answer its receipt again. */
export const REPORT_RETRY_MINUTES = 15;

/** Why a report's key is refused, or null: shorter than MIN_REPORT_KEY_LENGTH, or with fewer than MIN_REPORT_KEY_DISTINCT distinct characters. */
export const reportKeyRefusal = (key: string): 'WEAK_KEY' | null =>
  key.length < MIN_REPORT_KEY_LENGTH || new Set(key).size < MIN_REPORT_KEY_DISTINCT ? 'WEAK_KEY' : null;

/** Whether a submission repeated `ageSeconds` after the first is a retry, answered with its receipt (ALREADY_SUBMITTED otherwise). */
export const retryAnswersReceipt = (ageSeconds: number): boolean => ageSeconds <= REPORT_RETRY_MINUTES * 60;
