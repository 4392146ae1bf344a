/**
 * Operations generated from the client-facing (API) schema, for the suites
 * that go over every field or root field: argument literals of the right
 * type (required input fields filled, valid subject codes, first enum
 * values), and the schema and its field policies.
 */
import fs from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLArgument, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { accessPolicies } from '../../gateway/auth/field-access';
import { SUPERGRAPH_PATH } from '../../gateway/compose';
import { buildUscc } from '../../lib/identifiers';

export const supergraphSdl = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
export const apiSchema: GraphQLSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
export const policies = accessPolicies(supergraphSdl);

export const SAMPLE_CODE = buildUscc({ authority: '9', entityType: '1', division: '110108', organisationBody: 'MA01234X' });

/** A literal for an input type: required input fields filled, valid subject codes, first enum values. */
export function sample(type: GraphQLInputType, name: string): string {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return `[${sample(nullable.ofType as GraphQLInputType, name)}]`;
  if (isEnumType(nullable)) return nullable.getValues()[0]!.name;
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${sample(f.type, f.name)}`).join(', ')} }`;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'Int':
        return '1';
      case 'Float':
        return '1.5';
      case 'Boolean':
        return 'true';
      case 'ID':
        return JSON.stringify(/code/i.test(name) ? SAMPLE_CODE : '1');
      default:
        return JSON.stringify(/^(since|until|from|to|validUntil|publishedOn|madeOn)$/.test(name) ? '2024-01-02' : 'x');
    }
  }
  throw new Error(`no sample value for ${String(type)}`);
}

/** The required arguments of a field, each with a sample literal: `(code: "…", scenario: …)`, or nothing. */
export function argumentsOf(args: readonly GraphQLArgument[]): string {
  const required = args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  return required.length ? `(${required.map((a) => `${a.name}: ${sample(a.type, a.name)}`).join(', ')})` : '';
}
