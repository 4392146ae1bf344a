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

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

/** The five subgraphs' SDL as checked in under schema/, with the default local ports as URLs (overridable at run time). */
export function readSubgraphSdl(): SubgraphSdl[] {
  return DEPARTMENTS.map((department) => ({
    name: department.name,
    url: `http://127.0.0.1:${department.port}/graphql`,
    sdl: fs.readFileSync(path.join(ROOT_DIR, 'schema', `${department.name}.graphql`), 'utf8'),
  }));
}

/**
 * Composes the given subgraphs into supergraph SDL. Throws on SDL that does not
 * parse or does not compose, naming the subgraph and every composition error.
 */
export function composeSupergraphFrom(subgraphs: readonly SubgraphSdl[]): string {
  const services = subgraphs.map((subgraph) => {
    try {
      return { name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) };
    } catch (error) {
      throw new Error(`composition failed:\n- [${subgraph.name}] ${(error as Error).message}`);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** Composes the five subgraphs from schema/*.graphql. */
export function composeSupergraph(): string {
  return composeSupergraphFrom(readSubgraphSdl());
}
