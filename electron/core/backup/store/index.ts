export type * from './BackupStore';
export {
  cliKeyProvider,
  envKeyProvider,
  fileKeyProvider,
  keychainKeyProvider,
  staticKeyProvider,
} from './keyProviders';
export { openBackupStore } from './openBackupStore';
export { nodeStoreFs } from './storeFs';
