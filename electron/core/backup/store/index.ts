export type * from './BackupStore';
export {
  cliKeyProvider,
  envKeyProvider,
  fileKeyProvider,
  keychainKeyProvider,
  staticKeyProvider,
} from './keyProviders';
