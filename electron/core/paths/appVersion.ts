import { builtVersion, resolveAppLayout } from './appLayout';

function currentVersion(): string {
  try {
    return resolveAppLayout().version;
  } catch {
    return '0.0.0';
  }
}

/**
 * The package's version for code that has no AppLayout at hand (the backup store's manifests): compiled into a
 * bundle, else read from the application's package.json. Faces pass AppLayout.version everywhere else.
 */
export const APP_VERSION = builtVersion() ?? currentVersion();
