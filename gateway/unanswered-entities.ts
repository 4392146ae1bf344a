/**
 * What an entity fetch answers when its department did not: every entity
 * resolved, every field the department owns in it null.
 *
 * Without this the gateway drops the entities of a failed fetch, and a field
 * that @requires the department's data (the credit office's verdict, which
 * must come back INCONCLUSIVE naming the missing department) is never
 * resolved: the whole check would turn into an error instead of failing
 * closed. With it, "the department did not answer" is a null where the
 * department always answers an object (its profile), which is how the credit
 * office tells missing data from data that holds nothing.
 */
import { Kind, parse, type SelectionSetNode } from 'graphql';

/** Parsed selections of the gateway's generated entity queries, which repeat: a small cache keyed by query text. */
const fieldsByQuery = new Map<string, Map<string | null, string[]>>();
const MAX_CACHED_QUERIES = 500;

interface Representation {
  __typename?: unknown;
}

/**
 * The `_entities` answer for `representations` with every selected field
 * null, or undefined when the operation is not an entity fetch.
 */
export function unansweredEntities(query: string, variables: Record<string, unknown> | undefined): object[] | undefined {
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return undefined;
  const fields = entitySelections(query);
  if (!fields) return undefined;
  return representations.map((representation: Representation) => {
    const typename = typeof representation?.__typename === 'string' ? representation.__typename : null;
    // No __typename: the gateway keeps the one it has. A representation's may be an @interfaceObject's
    // interface name, which would overwrite the entity's concrete type (and lose its type's fragments).
    const entity: Record<string, unknown> = {};
    for (const key of [...(fields.get(null) ?? []), ...(typename ? (fields.get(typename) ?? []) : [])]) {
      if (key !== '__typename') entity[key] = null;
    }
    return entity;
  });
}

/** Response keys selected under `_entities`, per type condition (null: selected on every type). */
function entitySelections(query: string): Map<string | null, string[]> | undefined {
  const cached = fieldsByQuery.get(query);
  if (cached) return cached;
  let document;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === Kind.FIELD && selection.name.value === '_entities' && selection.selectionSet) {
        const fields = new Map<string | null, string[]>();
        collect(selection.selectionSet, null, fields);
        if (fieldsByQuery.size >= MAX_CACHED_QUERIES) fieldsByQuery.delete(fieldsByQuery.keys().next().value!);
        fieldsByQuery.set(query, fields);
        return fields;
      }
    }
  }
  return undefined;
}

function collect(selectionSet: SelectionSetNode, typename: string | null, into: Map<string | null, string[]>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const keys = into.get(typename) ?? [];
      keys.push(selection.alias?.value ?? selection.name.value);
      into.set(typename, keys);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, selection.typeCondition?.name.value ?? typename, into);
    }
  }
}
