import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

import { BugError } from '../../shared/errors/AppError';
import type { Navigation } from './navigation';

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ navigation, children }: { navigation: Navigation; children: ReactNode }) {
  return <NavigationContext value={navigation}>{children}</NavigationContext>;
}

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (!navigation) {
    throw new BugError('useNavigation() outside <NavigationProvider>');
  }
  return navigation;
}

/** The current path; re-renders when it changes. */
export function usePath(): string {
  const navigation = useNavigation();
  return useSyncExternalStore(navigation.subscribe, navigation.path);
}
