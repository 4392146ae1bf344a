/** `npm run compose`: writes schema/supergraph.graphql from the subgraph SDL. */
import fs from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from '../gateway/compose';

try {
  fs.writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
  console.log(`wrote ${SUPERGRAPH_PATH}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
