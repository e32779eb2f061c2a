export { fleetPages } from './pages';
