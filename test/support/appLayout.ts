import { resolveAppLayout } from '../../electron/core/paths/appLayout';

/** This checkout's layout, as the faces resolve it: its resources/, its renderer build and its version. */
export const TEST_LAYOUT = resolveAppLayout();

/** The shipped resources folder of this checkout. */
export const RESOURCES_DIR = TEST_LAYOUT.resourcesDir;
