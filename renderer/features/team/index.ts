export { SyncIndicator } from './SyncIndicator';
export { TeamFleet } from './TeamFleet';
export { TeamProvider, useTeam } from './TeamProvider';
