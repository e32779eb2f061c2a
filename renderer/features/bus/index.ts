export { busPages } from './pages';
