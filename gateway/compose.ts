/**
 * Offline composition of the supergraph from the subgraphs' SDL files. The
 * checked-in `schema/supergraph.graphql` is what the gateway serves; a test
 * recomposes and fails when it has drifted from the SDL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { DEPARTMENTS } from '../lib/departments';
import { ROOT_DIR } from '../lib/config';

export const SUPERGRAPH_PATH = path.join(ROOT_DIR, 'schema', 'supergraph.graphql');

/** Composes the five subgraphs; the URLs recorded are the default local ports (overridable at run time). */
export function composeSupergraph(): string {
  const result = composeServices(
    DEPARTMENTS.map((department) => ({
      name: department.name,
      url: `http://127.0.0.1:${department.port}/graphql`,
      typeDefs: parse(fs.readFileSync(path.join(ROOT_DIR, 'schema', `${department.name}.graphql`), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
