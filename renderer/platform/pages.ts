import type { ReactNode } from 'react';

import type { MessageKey } from '../i18n/en';
import type { PageName, Route, Routes } from './routes';

/**
 * One page of a feature: how its address reads and is written, and what it shows. `parse` receives the address's
 * segments already decoded and answers null when the address is another page's.
 */
export type PageEntry<P extends PageName = PageName> = {
  readonly page: P;
  // Method syntax on purpose: the shell holds entries of every page in one list and calls each with its own route.
  parse(parts: readonly string[]): Routes[P] | null;
  path(route: Routes[P]): string;
  render(route: Routes[P]): ReactNode;
};

/** A header link to a feature, current while any of `pages` shows. */
export type NavEntry = {
  readonly labelId: MessageKey;
  readonly testId: string;
  readonly to: Route;
  readonly current: readonly PageName[];
};

/** What a feature adds to the shell: its pages and, if it has one, its header link. */
export type FeaturePages = {
  readonly pages: readonly PageEntry[];
  readonly nav?: NavEntry;
};

/** Types one page entry against its own route, then widens it for the shell's list. */
export function definePage<P extends PageName>(entry: PageEntry<P>): PageEntry {
  return entry;
}

/** Encodes each segment of an address: `pathOf('unit', name, 'record')` → `/unit/oht%2007/record`. */
export function pathOf(...segments: readonly string[]): string {
  return `/${segments.map(encodeURIComponent).join('/')}`;
}
