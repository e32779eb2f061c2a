export { FleetPage } from './FleetPage';
export { FleetProvider, useFleet } from './FleetProvider';
