/**
 * Response cache in the pipeline (gateway/cache/response-cache.ts has the
 * rules): looked up once the caller, its scope and the operation are known;
 * a hit answers the stored bytes (`x-cache: HIT`) and skips execution; a
 * miss (`x-cache: MISS`) stores an answer without errors before it is sent,
 * so the next identical request finds it.
 */
import { scopeOfCaller } from '../context';
import { CACHE_STATUS_HEADER, type ResponseCache, type ResponseMiss } from '../cache/response-cache';
import type { GatewayPlugin } from '../pipeline';

export function responseCachePlugin(options: { cache: ResponseCache }): GatewayPlugin {
  const misses = new WeakMap<object, ResponseMiss>();
  return {
    name: 'response-cache',
    async onRequest(request) {
      if (!request.operation || request.operation.operation !== 'query' || request.source === undefined) return;
      const found = await options.cache.lookup(request.source, request.operationName, request.body.variables, scopeOfCaller(request.caller), request.document);
      if (!found) return;
      if ('hit' in found) {
        request.responseHeaders[CACHE_STATUS_HEADER] = 'HIT';
        request.answerSubjects = new Set(found.subjects);
        request.respond(200, { text: found.hit });
        return;
      }
      misses.set(request, found.miss);
      request.responseHeaders[CACHE_STATUS_HEADER] = 'MISS';
    },
    async onSend(request, text) {
      const miss = misses.get(request);
      const result = request.result;
      if (!miss || request.status !== 200 || !result?.data || (result.errors && result.errors.length > 0)) return;
      await options.cache.save(miss, result.data, text, request.answerSubjects);
    },
  };
}
