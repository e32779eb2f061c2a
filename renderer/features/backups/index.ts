export { backupPages } from './pages';
export { UnitBackupsSummary } from './UnitBackupsSummary';
