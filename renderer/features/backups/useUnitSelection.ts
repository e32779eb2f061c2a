import { useState } from 'react';

export type UnitSelection = {
  selected: ReadonlySet<string>;
  chosen: readonly string[];
  isAllSelected: boolean;
  toggle: (name: string) => void;
  toggleAll: () => void;
};

/** Which of the named units are ticked, kept in the order of `names`. */
export function useUnitSelection(names: readonly string[]): UnitSelection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const chosen = names.filter((name) => selected.has(name));
  const isAllSelected = names.length > 0 && chosen.length === names.length;
  const toggle = (name: string): void =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(name)) {
        next.delete(name);
      } else {
        next.add(name);
      }
      return next;
    });
  const toggleAll = (): void => setSelected(isAllSelected ? new Set() : new Set(names));
  return { selected, chosen, isAllSelected, toggle, toggleAll };
}
