/**
 * Personal data (lib/personal-data.ts): the one place an answer is masked
 * for a caller without the `personal` scope, after everything else made it
 * (execution, forbidden fields put back, errors masked) and before it is
 * serialised, whatever its path through the graph — department records and
 * their ids, list entries, a check's measures, workflow records, refusals
 * (including those the pipeline answers before execution). A code the caller
 * named itself (in its variables or its text: the audit's subjects) comes
 * back as it sent it; any other natural person's identity number, anywhere,
 * is masked. A response-cache hit is the stored answer, masked when stored
 * for that same scope and request.
 *
 * Before masking, the codes the answer holds are kept on the request
 * (`answerSubjects`): a masked number is no code, and the audit entry must
 * still name every subject the answer was about, as the cache must depend on it.
 */
import { GraphQLError } from 'graphql';
import { maskPersonalData, seesPersonalData } from '../../lib/personal-data';
import type { GatewayPlugin } from '../pipeline';
import { codesInAnswer, namedSubjects } from './audit';

export function personalDataPlugin(): GatewayPlugin {
  return {
    name: 'personal-data',
    onResult(request, result) {
      if (seesPersonalData({ scopes: [...request.scopes] })) return;
      // The answer's own text names every code for a caller that sees them; for the others, they are taken before masking.
      request.answerSubjects = codesInAnswer([result.data, result.errors]);
      const named = namedSubjects(request);
      if (result.data) result.data = maskPersonalData(result.data, named);
      if (result.errors) {
        result.errors = result.errors.map((error) => maskPersonalData(error instanceof GraphQLError ? error.toJSON() : error, named));
      }
    },
  };
}
