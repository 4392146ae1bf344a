import { runSubgraph } from '../../lib/subgraph';
import { courtsSubgraph } from './index';

void runSubgraph(courtsSubgraph);
