export { addUnitPages } from './pages';
