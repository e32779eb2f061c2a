export { UnitPage } from './UnitPage';
