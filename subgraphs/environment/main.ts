import { runSubgraph } from '../../lib/subgraph';
import { environmentSubgraph } from './index';

void runSubgraph(environmentSubgraph);
