import { runSubgraph } from '../../lib/subgraph';
import { taxSubgraph } from './index';

void runSubgraph(taxSubgraph);
