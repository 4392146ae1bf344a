/**
 * The cache policy over the real supergraph: what must be read as it stands is never cached,
 * wherever it is selected. A nested field without a hint inherits its parent's TTL, so a field
 * of the audit trail or of a consent under `subject(code:)` was answered from the response
 * cache for as long as the subject's profile: the access log polled after a read did not show
 * that read (found by the website's end-to-end test in CI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildASTSchema, getNamedType, isObjectType, Kind, parse, type ConstDirectiveNode, type GraphQLField } from 'graphql';
import { CachePolicy } from '../../gateway/cache/policy';
import { ROOT_DIR } from '../../lib/config';

const SDL = fs.readFileSync(path.join(ROOT_DIR, 'schema', 'supergraph.graphql'), 'utf8');
const policy = new CachePolicy(SDL);
const schema = buildASTSchema(parse(SDL), { assumeValid: true, assumeValidSDL: true });
const CODE = '91110108MA01A0XJ4E';

/** The scopes of a field's `@access`. */
function scopesOf(directives: readonly ConstDirectiveNode[] | undefined): string[] {
  const access = directives?.find((d) => d.name.value === 'access');
  const scopes = access?.arguments?.find((a) => a.name.value === 'scopes')?.value;
  return scopes?.kind === Kind.LIST ? scopes.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : [];
}

/** Every Subject field the audit or a consent guards. */
const subjectType = schema.getType('Subject');
const liveFields: GraphQLField<unknown, unknown>[] = isObjectType(subjectType)
  ? Object.values(subjectType.getFields()).filter((f) => scopesOf(f.astNode?.directives).some((s) => s === 'audit' || s === 'consent'))
  : [];
const byName = new Map(liveFields.map((f) => [f.name, f]));

describe('the cache policy of the supergraph', () => {
  it('finds the fields of the audit trail and of consents on Subject', () => {
    expect(liveFields.map((f) => f.name).sort()).toEqual(expect.arrayContaining(['accessLog', 'creditCheckHistory', 'financialAuthorisations']));
  });

  it.each(liveFields.map((f) => [f.name]))('never caches Subject.%s, even beside a cacheable profile', (name) => {
    const profile = `query { subject(code: "${CODE}") { name } }`;
    expect(policy.operation(profile).ttl).toBeGreaterThan(0);
    const type = getNamedType(byName.get(name)!.type).name;
    const selection = type === 'SubjectAccessConnection' ? `${name} { nodes { at } }` : `${name} { __typename }`;
    expect(policy.operation(`query { subject(code: "${CODE}") { name ${selection} } }`).ttl).toBe(0);
    // Through a fragment, as a client could write it.
    expect(policy.operation(`query { subject(code: "${CODE}") { ...F } } fragment F on Subject { name ${selection} }`).ttl).toBe(0);
  });

  it('never caches the audit log or its chain status at the root', () => {
    expect(policy.operation('{ auditLog(first: 5) { nodes { at } } }').ttl).toBe(0);
    expect(policy.operation('{ auditChainStatus { ok } }').ttl).toBe(0);
  });
});
