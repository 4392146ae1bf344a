/**
 * Purpose: non-public roles say why they ask (`X-Purpose`, e.g. the licence
 * application number); it goes into the audit entry (API.md). Missing for a
 * non-public role: BAD_USER_INPUT with reason PURPOSE_REQUIRED.
 */
import { requestError, type GatewayPlugin } from '../pipeline';

export const PURPOSE_HEADER = 'x-purpose';
/** Longest purpose kept: a reference, not a document. */
const MAX_PURPOSE_LENGTH = 500;

export function purposePlugin(): GatewayPlugin {
  return {
    name: 'purpose',
    onRequest(request) {
      const sent = request.headers[PURPOSE_HEADER];
      request.purpose = typeof sent === 'string' && sent.trim() !== '' ? sent.trim().slice(0, MAX_PURPOSE_LENGTH) : null;
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
