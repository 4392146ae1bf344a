/**
 * Gives a supergraph that knows nothing of credit-graph the access spec and
 * a policy that lets PUBLIC read everything: the link, the directive (on
 * objects, interfaces and fields) and `@access(scopes: ["public"])` on every
 * object type and interface, so the federation audit runs our gateway with
 * field-level authorisation on, interfaces and unions included.
 *
 * `withRestrictedPolicies` also forbids a fixed, hash-chosen share of every
 * type's fields to PUBLIC (the `records` scope reads them), for checking that
 * field-level authorisation adds nothing but FORBIDDEN to any answer
 * (restricted.ts).
 *
 *   tsx scripts/federation-audit/open-policies.ts IN OUT
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Kind, parse, print, type ConstDirectiveNode, type DefinitionNode, type DocumentNode } from 'graphql';
import { ACCESS_DIRECTIVE, ACCESS_SPEC_URL } from '../../gateway/auth/field-access';

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const string = (value: string) => ({ kind: Kind.STRING, value }) as const;

const PUBLIC_POLICY: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: name(ACCESS_DIRECTIVE),
  arguments: [{ kind: Kind.ARGUMENT, name: name('scopes'), value: { kind: Kind.LIST, values: [string('public')] } }],
};

const ACCESS_LINK: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: name('link'),
  arguments: [
    { kind: Kind.ARGUMENT, name: name('url'), value: string(`${ACCESS_SPEC_URL}v0.1`) },
    { kind: Kind.ARGUMENT, name: name('import'), value: { kind: Kind.LIST, values: [string(`@${ACCESS_DIRECTIVE}`)] } },
  ],
};

export function withPublicPolicies(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const definitions: DefinitionNode[] = document.definitions.map((definition) => {
    switch (definition.kind) {
      case Kind.SCHEMA_DEFINITION:
        return { ...definition, directives: [...(definition.directives ?? []), ACCESS_LINK] };
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
        return { ...definition, directives: [...(definition.directives ?? []), PUBLIC_POLICY] };
      default:
        return definition;
    }
  });
  const directive = parse(`directive @${ACCESS_DIRECTIVE}(scopes: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE`).definitions[0]!;
  return print({ ...document, definitions: [directive, ...definitions] } as DocumentNode);
}

const RECORDS_POLICY: ConstDirectiveNode = { ...PUBLIC_POLICY, arguments: [{ kind: Kind.ARGUMENT, name: name('scopes'), value: { kind: Kind.LIST, values: [string('records')] } }] };

/** Whether `Type.field` is one of the fields a restricted run forbids to PUBLIC: one in three, by hash, varied by `round`. */
export function restrictedField(coordinate: string, round: number): boolean {
  return crypto.createHash('md5').update(coordinate).digest()[0]! % 3 === round % 3;
}

export function withRestrictedPolicies(supergraphSdl: string, round: number): { sdl: string; forbidden: string[] } {
  const document = parse(withPublicPolicies(supergraphSdl));
  const forbidden: string[] = [];
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) return definition;
    const fields = definition.fields?.map((field) => {
      const coordinate = `${definition.name.value}.${field.name.value}`;
      if (!restrictedField(coordinate, round)) return field;
      forbidden.push(coordinate);
      return { ...field, directives: [...(field.directives ?? []), RECORDS_POLICY] };
    });
    return { ...definition, fields };
  });
  return { sdl: print({ ...document, definitions } as DocumentNode), forbidden };
}

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: open-policies.ts IN OUT');
  fs.writeFileSync(output, withPublicPolicies(fs.readFileSync(input, 'utf8')));
}
