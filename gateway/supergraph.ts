/** Reading a supergraph file: which subgraphs it joins and where they live. */
import { Supergraph } from '@apollo/federation-internals';

export interface SubgraphLocation {
  name: string;
  url: string;
}

export function subgraphsOf(supergraphSdl: string): SubgraphLocation[] {
  return Supergraph.build(supergraphSdl).subgraphsMetadata().map(({ name, url }) => ({ name, url }));
}
