/**
 * Request id: the client's `x-request-id` when it is a plain token (so a
 * caller can follow its request through the gateway's and the subgraphs'
 * logs), a fresh one otherwise; answered in the `x-request-id` header and
 * forwarded to every subgraph (gateway/fetch/request-id.ts).
 */
import crypto from 'node:crypto';
import { REQUEST_ID_HEADER } from '../../lib/logger';
import type { GatewayPlugin } from '../pipeline';

/** What a client may choose as its request id: short, and nothing a log line or header could be broken with. */
const PLAIN_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdPlugin(): GatewayPlugin {
  return {
    name: 'request-id',
    onRequest(request) {
      const sent = request.headers[REQUEST_ID_HEADER];
      if (typeof sent === 'string' && PLAIN_ID.test(sent)) request.id = sent;
      else if (!PLAIN_ID.test(request.id)) request.id = crypto.randomUUID();
      request.responseHeaders[REQUEST_ID_HEADER] = request.id;
    },
  };
}
