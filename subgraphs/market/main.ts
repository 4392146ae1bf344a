import { runSubgraph } from '../../lib/subgraph';
import { marketSubgraph } from './index';

void runSubgraph(marketSubgraph);
