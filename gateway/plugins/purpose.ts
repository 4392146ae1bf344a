/**
 * Purpose: non-public roles say why they ask (`X-Purpose`, e.g. the licence
 * application number); it goes into the audit entry (API.md). Missing for a
 * non-public role: BAD_USER_INPUT with reason PURPOSE_REQUIRED.
 *
 * An HTTP header is bytes, and Node hands them over one character per byte;
 * a purpose is text, read as UTF-8 (README, "Purposes in Chinese"):
 *
 *   X-Purpose: 许可 2026-0042                  the UTF-8 bytes as they are
 *   X-Purpose*: UTF-8''%E8%AE%B8%E5%8F%AF%202026-0042
 *                                              RFC 8187 (what a browser's fetch, which
 *                                              sends only Latin-1, can send); wins over X-Purpose
 *   X-Purpose: utf-8''%E8%AE%B8…               the same extended value in the plain header
 *
 * Bytes that are not UTF-8, an extended value in another charset or with a
 * broken escape, and control characters are refused (BAD_USER_INPUT, reason
 * INVALID_PURPOSE) rather than stored as something the caller did not write.
 */
import { isUtf8 } from 'node:buffer';
import { requestError, type GatewayPlugin, type GatewayRequest } from '../pipeline';

export const PURPOSE_HEADER = 'x-purpose';
/** RFC 8187's extended form of the header. */
export const PURPOSE_EXTENDED_HEADER = 'x-purpose*';
/** Longest purpose accepted, in characters: a reference, not a document. */
const MAX_PURPOSE_LENGTH = 500;

/** RFC 8187 ext-value: charset ' [language] ' value-chars. */
const EXT_VALUE = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'([A-Za-z0-9-]*)'(.*)$/s;
/** Control characters, and the bidirectional overrides and isolates that would make a purpose read otherwise in the audit log. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

type Decoded = { text: string } | { problem: string };

/** An RFC 8187 extended value, UTF-8 only (the only charset RFC 8187 requires, and what a purpose in Chinese needs). */
export function decodeExtendedValue(value: string): Decoded {
  const match = EXT_VALUE.exec(value.trim());
  if (!match) return { problem: "an extended value is charset'language'percent-encoded-text, e.g. UTF-8''%E8%AE%B8%E5%8F%AF" };
  if (match[1]!.toLowerCase() !== 'utf-8') return { problem: `the extended value's charset must be UTF-8, got ${match[1]}` };
  const encoded = match[3]!;
  if (/%(?![0-9A-Fa-f]{2})/.test(encoded) || /[^\x21-\x7e]/.test(encoded.replace(/%[0-9A-Fa-f]{2}/g, ''))) {
    return { problem: 'the extended value has a broken %-escape or a character that must be %-encoded' };
  }
  const bytes = Buffer.from(encoded.replace(/%([0-9A-Fa-f]{2})|([^%])/g, (_, hex: string | undefined, char: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : char!)), 'latin1');
  if (!isUtf8(bytes)) return { problem: 'the %-encoded bytes of the extended value are not UTF-8' };
  return { text: bytes.toString('utf8') };
}

/** The plain header's value: Node gives one character per byte; bytes above 0x7F must be UTF-8. */
export function decodeHeaderText(value: string): Decoded {
  if (/^utf-8'[A-Za-z0-9-]*'/i.test(value.trim())) return decodeExtendedValue(value);
  if (!/[^\x00-\x7f]/.test(value)) return { text: value };
  const bytes = Buffer.from(value, 'latin1');
  if (!isUtf8(bytes)) return { problem: 'its bytes are not UTF-8 (send UTF-8, or the RFC 8187 form X-Purpose*)' };
  return { text: bytes.toString('utf8') };
}

function single(request: GatewayRequest, name: string): string | undefined {
  const sent = request.headers[name];
  return Array.isArray(sent) ? sent.join(', ') : sent;
}

/** The request's purpose: null when none was sent, else its text or why it cannot be read. */
export function purposeOf(request: GatewayRequest): { purpose: string | null } | { problem: string } {
  const extended = single(request, PURPOSE_EXTENDED_HEADER);
  const plain = single(request, PURPOSE_HEADER);
  const raw = extended ?? plain;
  if (raw === undefined) return { purpose: null };
  const decoded = extended !== undefined ? decodeExtendedValue(extended) : decodeHeaderText(raw);
  if ('problem' in decoded) return { problem: `${extended !== undefined ? 'X-Purpose*' : 'X-Purpose'}: ${decoded.problem}` };
  const text = decoded.text.trim();
  if (CONTROL.test(text)) return { problem: 'the purpose holds a control character or a bidirectional override' };
  if (text === '') return { purpose: null };
  const length = Array.from(text).length;
  // Refused, not cut: the audit log must hold the purpose as the client gave it.
  if (length > MAX_PURPOSE_LENGTH) return { problem: `the purpose is ${length} characters long; at most ${MAX_PURPOSE_LENGTH} (a reference such as the application number, not a document)` };
  return { purpose: text };
}

export function purposePlugin(): GatewayPlugin {
  return {
    name: 'purpose',
    onRequest(request) {
      const read = purposeOf(request);
      if ('problem' in read) {
        request.outcome = 'BAD_USER_INPUT';
        request.respond(400, { errors: [requestError('BAD_USER_INPUT', `${read.problem}; see README, "Purposes in Chinese"`, { reason: 'INVALID_PURPOSE' })] });
        return;
      }
      request.purpose = read.purpose;
      if (request.caller.role !== 'PUBLIC' && request.purpose === null) {
        request.outcome = 'BAD_USER_INPUT';
        request.respond(400, {
          errors: [
            requestError('BAD_USER_INPUT', `role ${request.caller.role} must say why it asks: send the X-Purpose header (e.g. the licence application number)`, {
              reason: 'PURPOSE_REQUIRED',
            }),
          ],
        });
      }
    },
  };
}
