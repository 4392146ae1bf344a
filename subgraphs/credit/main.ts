import { runSubgraph } from '../../lib/subgraph';
import { creditSubgraph } from './index';

void runSubgraph(creditSubgraph);
