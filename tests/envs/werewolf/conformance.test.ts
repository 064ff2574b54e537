/** werewolf-v1 passes the multi-agent conformance kit in process, in both discussion modes. */
import '../../../envs/builtin.js';
import { makeMulti } from '../../../envs/core/registry.js';
import { describeMultiAgentConformance } from '../../helpers/conformance.js';


describeMultiAgentConformance('werewolf-v1', (o) => makeMulti('werewolf-v1', o));
describeMultiAgentConformance('werewolf-v1 (bidding)', (o) => makeMulti('werewolf-v1', { discussion: 'bidding', ...o }));
