/**
 * Financial authorisations at the credit office: granted once per key,
 * revoked once, and the batch lookup the gateway uses sees only the ones in
 * force for that client.
 */
import { creditSubgraph } from '../../subgraphs/credit';
import { authorisedSubjects } from '../../subgraphs/credit/workflows/authorisations';
import { buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) => buildUscc({ authority: '9', entityType: '1', division: '320583', organisationBody: String(30000000 + n) });
const GRANT = `mutation($input: GrantFinancialAuthorisationInput!) { grantFinancialAuthorisation(input: $input) { id subjectCode clientId validUntil status } }`;
const REVOKE = `mutation($id: ID!) { revokeFinancialAuthorisation(id: $id, note: "subject withdrew it") { id status revokedAt } }`;
const nextYear = `${Number(todayInChina().slice(0, 4)) + 1}${todayInChina().slice(4)}`;

describe('financial authorisations', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraph(creditSubgraph);
  });
  afterAll(() => subgraph?.close());

  it('grants once per idempotency key and refuses the key reused for another grant', async () => {
    const input = { subjectCode: code(1), clientId: 'cli_bank_a', validUntil: nextYear, idempotencyKey: 'grant-1' };
    const first = await subgraph.graphql(GRANT, { input });
    expect(first.errors).toBeUndefined();
    expect(first.data.grantFinancialAuthorisation).toEqual(expect.objectContaining({ subjectCode: code(1), status: 'ACTIVE' }));
    const retry = await subgraph.graphql(GRANT, { input });
    expect(retry.data.grantFinancialAuthorisation.id).toBe(first.data.grantFinancialAuthorisation.id);
    const conflict = await subgraph.graphql(GRANT, { input: { ...input, clientId: 'cli_bank_b' } });
    expect(conflict.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_CONFLICT' }));
  });

  it('refuses a grant that ends in the past', async () => {
    const { errors } = await subgraph.graphql(GRANT, { input: { subjectCode: code(2), clientId: 'cli_bank_a', validUntil: '2020-01-01', idempotencyKey: 'grant-old' } });
    expect(errors![0].message).toMatch(/validUntil \(2020-01-01\) is in the past/);
  });

  it('answers the gateway which subjects a client may see, in one statement, and revocation takes effect at once', async () => {
    const grant = await subgraph.graphql(GRANT, { input: { subjectCode: code(3), clientId: 'cli_bank_a', validUntil: nextYear, idempotencyKey: 'grant-3' } });
    await subgraph.graphql(GRANT, { input: { subjectCode: code(4), clientId: 'cli_bank_b', validUntil: nextYear, idempotencyKey: 'grant-4' } });
    // An authorisation that expired yesterday, written directly.
    await subgraph.db.query(
      `INSERT INTO financial_authorisation (subject_code, client_id, valid_until, idempotency_key, request_fingerprint) VALUES ($1, 'cli_bank_a', current_date - 1, 'old', 'x')`,
      [code(5)],
    );
    const codes = [code(1), code(2), code(3), code(4), code(5)];
    const { result, statements } = await countQueries(subgraph.db, () => authorisedSubjects(subgraph.db, 'cli_bank_a', codes));
    expect([...result].sort()).toEqual([code(1), code(3)].sort());
    expect(statements).toHaveLength(1);

    const revoked = await subgraph.graphql(REVOKE, { id: grant.data.grantFinancialAuthorisation.id });
    expect(revoked.data.revokeFinancialAuthorisation.status).toBe('REVOKED');
    expect([...(await authorisedSubjects(subgraph.db, 'cli_bank_a', codes))]).toEqual([code(1)]);
    const again = await subgraph.graphql(REVOKE, { id: grant.data.grantFinancialAuthorisation.id });
    expect(again.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'INVALID_TRANSITION' }));
    const unknown = await subgraph.graphql(REVOKE, { id: '999999' });
    expect(unknown.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'NOT_FOUND' }));
  });

  it("lists a subject's authorisations on the subject", async () => {
    const { data } = await subgraph.graphql('query($c: ID!) { subject(code: $c) { financialAuthorisations { clientId status } } }', { c: code(3) });
    expect(data.subject.financialAuthorisations).toEqual([{ clientId: 'cli_bank_a', status: 'REVOKED' }]);
  });
});
