import type { FILES_CALL_NAMES } from '../../../shared/ipc/names/files';
import type { BackupFileAccess } from '../ports/BackupFileAccess';
import type { CoreFeature, FeatureDeps } from '../feature';
import { FilesService } from './FilesService';

export type FilesCallName = (typeof FILES_CALL_NAMES)[number];

/** The Files tab's slice of the contract; old files go to the backup feature's store before an edit. */
export function createFilesFeature(deps: FeatureDeps): CoreFeature<FilesCallName> {
  // Lent by the backup feature, looked up when used.
  const backups: BackupFileAccess = {
    keepCopy: (input) => deps.lent.get('backupFiles').keepCopy(input),
    read: (backupId, path, maxBytes) => deps.lent.get('backupFiles').read(backupId, path, maxBytes),
  };
  const service = new FilesService({
    dataDir: deps.dataDir,
    resourcesDir: deps.layout.resourcesDir,
    units: deps.units,
    connector: deps.connector,
    history: deps.history,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'files' }),
    backups,
  });
  return {
    handlers: {
      'files.roots': async (input) => ({ roots: await service.roots(input.unit) }),
      'files.list': async (input) => service.list(input.unit, input.path),
      'files.read': async (input) => service.read(input.unit, input.path),
      'files.download': async (input) => service.download(input.unit, input.path),
      'files.compare': async (input) => service.compare(input.unit, input.path, input.backupId),
      'files.planEdit': async (input) => service.planEdit(input),
      'files.applyEdit': async (input, context) => service.applyEdit(input, context.actor),
    },
    async close() {},
  };
}
