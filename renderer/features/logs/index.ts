export { logsPages } from './pages';
export { LogsTab } from './LogsTab';
