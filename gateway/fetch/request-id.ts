/** Request id: the client request's id on every subgraph request, so one id follows it through every log. */
import { REQUEST_ID_HEADER } from '../../lib/logger';
import type { SubgraphLink } from './chain';

export function requestIdLink(): SubgraphLink {
  return {
    name: 'request-id',
    fetch(call, next) {
      const id = call.context?.requestId;
      return next(id ? { ...call, headers: { ...call.headers, [REQUEST_ID_HEADER]: id } } : call);
    },
  };
}
