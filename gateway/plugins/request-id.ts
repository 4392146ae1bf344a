/**
 * Request id: every request is known by an id the gateway made itself (a
 * UUID, from the HTTP server: lib/http.ts `ownRequestIds`), in its logs, in
 * the audit entry, in the `x-request-id` answer header and on every subgraph
 * request (gateway/fetch/request-id.ts). A client's own `x-request-id` is kept
 * beside it (`clientRequestId`, in the audit entry and answered in
 * `x-client-request-id`) when it is a plain token, so a caller can still find
 * its request — but it never names the request: ids that clients choose can
 * collide, or be chosen to pass for another request.
 */
import crypto from 'node:crypto';
import { REQUEST_ID_HEADER } from '../../lib/logger';
import type { GatewayPlugin, GatewayRequest } from '../pipeline';

export const CLIENT_REQUEST_ID_HEADER = 'x-client-request-id';

/** What a client may give as its request id: short, and nothing a log line or header could be broken with. */
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The client's own request id, when it sent a plain one. */
export function clientRequestIdOf(headers: GatewayRequest['headers']): string | null {
  const sent = headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && PLAIN_ID.test(sent) ? sent : null;
}

export function requestIdPlugin(): GatewayPlugin {
  return {
    name: 'request-id',
    onRequest(request) {
      if (!UUID.test(request.id)) request.id = crypto.randomUUID();
      request.responseHeaders[REQUEST_ID_HEADER] = request.id;
      request.clientRequestId = clientRequestIdOf(request.headers);
      if (request.clientRequestId !== null) request.responseHeaders[CLIENT_REQUEST_ID_HEADER] = request.clientRequestId;
    },
  };
}
