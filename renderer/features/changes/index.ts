export { UnitChanges } from './UnitChanges';
export { useChanges } from './useChanges';
export { groupChanges } from './groupChanges';
