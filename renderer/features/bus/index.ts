export { BusPage } from './BusPage';
