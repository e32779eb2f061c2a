export { LogsTab } from './LogsTab';
export { LogViewPage } from './LogViewPage';
