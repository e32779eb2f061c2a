export { procedurePages } from './pages';
export { UnitRuns } from './UnitRuns';
