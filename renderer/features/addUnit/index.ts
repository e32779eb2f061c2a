export { AddUnitPage } from './AddUnitPage';
