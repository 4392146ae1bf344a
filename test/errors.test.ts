/** What a subgraph answers for a database error (lib/errors.ts publicSubgraphError). */
import { GraphQLError } from 'graphql';
import { badUserInput, publicSubgraphError } from '../lib/errors';

/** A pg DatabaseError as the driver raises it: a SQLSTATE code, a severity and PostgreSQL's own text. */
const databaseError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
const resolverError = (original: Error) => new GraphQLError(original.message, { path: ['subject', 'tax'], originalError: original });

describe('publicSubgraphError', () => {
  it('answers a string the database cannot hold as BAD_USER_INPUT, without the database\'s words', () => {
    const error = publicSubgraphError(resolverError(databaseError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' });
    expect(error.message).not.toMatch(/UTF8|0x00/);
    expect(error.path).toEqual(['subject', 'tax']);
  });

  it('answers any other database error as an internal error, with no table, column or SQL', () => {
    const error = publicSubgraphError(resolverError(databaseError('42P01', 'relation "tax.tax_credit_rating" does not exist')));
    expect(error.message).toBe('internal error');
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('keeps GraphQL errors and errors that are not the database\'s as they are', () => {
    const refused = badUserInput('invalid subject code', { reason: 'CHECKSUM' });
    expect(publicSubgraphError(refused)).toBe(refused);
    const plain = resolverError(Object.assign(new Error('DEPARTMENT_UNAVAILABLE'), { code: 'ECONNREFUSED' }));
    expect(publicSubgraphError(plain)).toBe(plain);
  });
});
