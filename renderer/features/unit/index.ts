export { unitPages } from './pages';
/** The health tree's parts, for other pages that show a diagnosis (the RS485 bus page). */
export { CheckNode } from './CheckNode';
export { countLeaves, problemsOnly, rolledUp } from './healthTree';
/** The unit's bus state and its findings, for the Fleet row and the bus page. */
export { BusState } from './BusState';
export { FindingList } from './FindingList';
