export { BackupsPage } from './BackupsPage';
export { BackupsProvider, useBackups } from './BackupsProvider';
export { RestoreWizard } from './RestoreWizard';
export { UnitBackupsPage } from './UnitBackupsPage';
export { UnitBackupsSummary } from './UnitBackupsSummary';
