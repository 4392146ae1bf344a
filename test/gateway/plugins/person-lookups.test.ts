/**
 * plugins/person-lookups.ts: an anonymous address names at most its budget of natural persons a
 * minute, however it spreads them (one request, several, literals, variables); organisations and
 * registered clients are not counted.
 */
import { buildResidentId, buildUscc } from '../../../lib/identifiers';
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { personLookupsPlugin } from '../../../gateway/plugins/person-lookups';
import { bearer, executions, JWT_SECRET, schema, send } from './harness';

const person = (n: number) => buildResidentId('330106', `1971${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`, String(100 + n).padStart(3, '0'));
const company = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(51000000 + n) });

describe('person-lookups plugin', () => {
  const plugins = () => [
    credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) }),
    parseValidatePlugin({ schema: () => schema }),
    personLookupsPlugin({ perMinute: 5 }),
  ];
  const lookup = (codes: string[]) => ({ query: `{ ${codes.map((c, i) => `s${i}: subject(code: "${c}") { code }`).join(' ')} }` });

  it('lets an anonymous address name its budget of persons a minute, then refuses with 429 and the figures, running nothing', async () => {
    const chain = plugins();
    const ip = { ip: '203.0.113.50' };
    expect((await send(chain, lookup([person(1), person(2), company(1)]), {}, ip)).status).toBe(200);
    expect((await send(chain, { query: 'query($c: ID!) { subject(code: $c) { code } }', variables: { c: person(3) } }, {}, ip)).status).toBe(200);
    const before = executions.count;
    const refused = await send(chain, lookup([person(4), person(5), person(6)]), {}, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', reason: 'PERSON_LOOKUPS', figure: 3, limit: 5 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(executions.count).toBe(before);
    // What is left of the budget still serves; organisations never count.
    expect((await send(chain, lookup([person(7), person(8)]), {}, ip)).status).toBe(200);
    expect((await send(chain, lookup([company(2), company(3), company(4), company(5), company(6), company(7)]), {}, ip)).status).toBe(200);
    expect((await send(chain, lookup([person(9)]), {}, ip)).status).toBe(429);
    // Another address has its own budget.
    expect((await send(chain, lookup([person(9)]), {}, { ip: '203.0.113.51' })).status).toBe(200);
  });

  it('refuses at once a request naming more persons than a minute allows', async () => {
    const many = await send(plugins(), lookup([1, 2, 3, 4, 5, 6].map(person)), {}, { ip: '203.0.113.60' });
    expect(many.status).toBe(429);
    expect(many.body.errors[0].extensions).toMatchObject({ reason: 'PERSON_LOOKUPS', figure: 6, limit: 5 });
  });

  it('does not hold back registered clients, which are audited under their identity', async () => {
    const chain = plugins();
    const approval = await bearer('APPROVAL_SYSTEM');
    for (let round = 0; round < 3; round++) expect((await send(chain, lookup([1, 2, 3, 4].map((n) => person(n + round * 4))), approval, { ip: '203.0.113.70' })).status).toBe(200);
  });
});
