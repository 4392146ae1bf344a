/**
 * Natural persons looked up by anonymous callers: a budget per address per minute of the persons'
 * identity numbers its requests name (literals, variables), shared by every gateway through Redis.
 *
 * Why: a person is masked for a caller without `personal` (110101********123X), but whoever names
 * a full number learns whether that person has records. The masked form leaves about 2,000 numbers
 * possible (the hidden birth date, with the check character), so naming them all in a few requests
 * of 1,000 codes unmasked a listed person (found by a black-box review). With the budget that takes
 * an address more than an hour; registered clients are not limited here: they name persons for
 * their own cases and every request of theirs is audited under their identity and purpose.
 * Over the budget: 429 RATE_LIMITED, reason PERSON_LOOKUPS.
 */
import type { RedisClient } from '../../lib/redis';
import { isNaturalPerson } from '../../lib/identifiers';
import { perMinuteLimiter, spend } from '../../lib/limits';
import { seesPersonalData } from '../../lib/personal-data';
import { requestError, type GatewayPlugin } from '../pipeline';
import { namedSubjects } from './audit';

/** Default budget: persons an anonymous address may name per minute. */
export const PERSON_LOOKUPS_PER_MINUTE = 30;

export function personLookupsPlugin(options: { perMinute?: number; redis?: RedisClient } = {}): GatewayPlugin {
  const perMinute = options.perMinute ?? PERSON_LOOKUPS_PER_MINUTE;
  const limiter = perMinuteLimiter(perMinute, 'cg:persons', options.redis);
  return {
    name: 'person-lookups',
    async onRequest(request) {
      if (request.caller.clientId !== null || seesPersonalData({ scopes: [...request.scopes] })) return;
      const persons = [...namedSubjects(request)].filter(isNaturalPerson).length;
      if (persons === 0) return;
      const spent = persons > perMinute ? { granted: false as const, retryAfterSeconds: 60 } : await spend(limiter, `ip:${request.ip}`, persons);
      if (spent.granted) return;
      request.outcome = 'RATE_LIMITED';
      request.responseHeaders['retry-after'] = String(spent.retryAfterSeconds);
      request.respond(429, {
        errors: [
          requestError(
            'RATE_LIMITED',
            `this request names ${persons} natural persons' identity numbers; an anonymous caller may name at most ${perMinute} a minute (retry in ${spent.retryAfterSeconds} s, or call as a registered client)`,
            { reason: 'PERSON_LOOKUPS', figure: persons, limit: perMinute },
          ),
        ],
      });
    },
  };
}
