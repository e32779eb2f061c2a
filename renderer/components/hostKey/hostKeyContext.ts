import { createStoreContext } from '../../platform/storeContext';
import type { HostKeyState } from './hostKeyStore';

export const hostKeyContext = createStoreContext<HostKeyState>('host key');

export const useHostKey = hostKeyContext.useSelector;
