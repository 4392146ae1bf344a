/**
 * The drift test: the supergraph the gateway serves (schema/supergraph.graphql,
 * checked in) must be exactly what the subgraphs' SDL composes to today.
 */
import fs from 'node:fs';
import { composeSupergraph, composeSupergraphFrom, readSubgraphSdl, SUPERGRAPH_PATH, type SubgraphSdl } from '../gateway/compose';
import { DEPARTMENTS } from '../lib/departments';

/** The checked-in subgraphs with the courts SDL passed through `edit`. */
function withCourtsSdl(edit: (sdl: string) => string): SubgraphSdl[] {
  return readSubgraphSdl().map((subgraph) => {
    if (subgraph.name !== 'courts') return subgraph;
    const sdl = edit(subgraph.sdl);
    if (sdl === subgraph.sdl) throw new Error('the edit did not change the courts SDL; the test is out of date');
    return { ...subgraph, sdl };
  });
}

describe('supergraph composition', () => {
  it('composes from the checked-in SDL to exactly schema/supergraph.graphql', () => {
    const composed = composeSupergraph();
    const checkedIn = fs.readFileSync(SUPERGRAPH_PATH, 'utf8');
    if (composed !== checkedIn) {
      const composedLines = composed.split('\n');
      const checkedInLines = checkedIn.split('\n');
      const line = composedLines.findIndex((text, i) => text !== checkedInLines[i]);
      throw new Error(
        `schema/supergraph.graphql is out of date with the subgraph SDL in schema/*.graphql: run \`npm run compose\` and commit the result.\n` +
          `First difference at line ${line + 1}:\n  checked in: ${JSON.stringify(checkedInLines[line])}\n  composed:   ${JSON.stringify(composedLines[line])}`,
      );
    }
    expect(composed).toBe(checkedIn);
  });

  it('composes every department, at its default port', () => {
    const supergraph = composeSupergraph();
    for (const department of DEPARTMENTS) {
      expect(supergraph).toContain(`url: "http://127.0.0.1:${department.port}/graphql"`);
    }
    expect(supergraph).toContain('type CourtProfile');
  });

  it('is a pure function of the SDL it is given', () => {
    expect(composeSupergraphFrom(readSubgraphSdl())).toBe(composeSupergraph());
  });

  it('names the subgraph and the syntax error when an SDL does not parse', () => {
    const broken = withCourtsSdl((sdl) => sdl.replace('type CourtProfile {', 'type CourtProfile {{'));
    expect(() => composeSupergraphFrom(broken)).toThrow(/composition failed:\n- \[courts\] Syntax Error/);
  });

  it('names an unknown type', () => {
    const broken = withCourtsSdl((sdl) => sdl.replace('[EnforcementCase!]!', '[EnforcementCaze!]!'));
    expect(() => composeSupergraphFrom(broken)).toThrow(/\[courts\] Unknown type EnforcementCaze/);
  });

  it('names the field and the subgraphs when the entity key disagrees across subgraphs', () => {
    const broken = withCourtsSdl((sdl) => sdl.replace(/(type Subject @key\(fields: "code"\) \{\s*code: )ID!/, '$1String!'));
    expect(() => composeSupergraphFrom(broken)).toThrow(/Type of field "Subject\.code" is incompatible across subgraphs: it has type "String!" in subgraph "courts"/);
  });

  it('refuses a subgraph that redeclares Subject without its key', () => {
    const broken = withCourtsSdl((sdl) => sdl.replace('type Subject @key(fields: "code")', 'type Subject'));
    expect(() => composeSupergraphFrom(broken)).toThrow(/"Subject\.code" is resolved from multiple subgraphs/);
  });
});
