/** plugins/introspection.ts: every role in development; only the introspection scope (DEVELOPER) in production, however it is spelt. */
import { createJwtVerifier } from '../../../lib/auth/jwt';
import { credentialsPlugin } from '../../../gateway/plugins/credentials';
import { introspectionPlugin } from '../../../gateway/plugins/introspection';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { bearer, JWT_SECRET, schema, send } from './harness';

describe('introspection plugin', () => {
  const credentials = credentialsPlugin({ verifyJwt: createJwtVerifier({ key: { kind: 'secret', secret: JWT_SECRET } }) });
  const parse = parseValidatePlugin({ schema: () => schema });
  const production = [credentials, parse, introspectionPlugin({ production: true })];
  const development = [credentials, parse, introspectionPlugin({ production: false })];
  const SHAPES = ['{ __schema { types { name } } }', '{ __type(name: "Subject") { name } }', '{ ...Schema } fragment Schema on Query { __schema { queryType { name } } }'];

  it('answers every role in development', async () => {
    for (const headers of [{}, await bearer('APPROVAL_SYSTEM')]) {
      const { status, body } = await send(development, { query: SHAPES[0] }, headers);
      expect(status).toBe(200);
      expect(body.data.__schema.types.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Query', 'Subject']));
    }
  });

  it('refuses other roles in production, by any path, and answers DEVELOPER', async () => {
    for (const query of SHAPES) {
      for (const headers of [{}, await bearer('CREDIT_OFFICE')]) {
        const { status, body, request } = await send(production, { query }, headers);
        expect(status).toBe(403);
        expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
        expect(request.outcome).toBe('FORBIDDEN');
      }
      const developer = await send(production, { query }, await bearer('DEVELOPER'));
      expect(developer.status).toBe(200);
      expect(developer.body.errors).toBeUndefined();
    }
    // __typename is not introspection of the schema.
    expect((await send(production, { query: '{ __typename }' })).status).toBe(200);
  });
});
