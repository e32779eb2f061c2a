export { settingsPages } from './pages';
