import type { Unsubscribe, WorkstationApi } from '../../shared/ipc/api';

/**
 * Calls `changed` with a unit's name when something done to it has ended and its pages should read it again: a
 * procedure run that ended, a backup that finished (or failed), a restore phase that settled. A diagnosis has its own
 * event (units.changed).
 */
export function followUnitChanges(api: WorkstationApi, changed: (unit: string) => void): Unsubscribe {
  const stops = [
    api.on('procedures.runChanged', (event) => {
      if (event.state !== 'running') {
        event.units.forEach(changed);
      }
    }),
    api.on('backup.progress', (event) => {
      if (event.phase === 'done' || event.phase === 'failed') {
        changed(event.unit);
      }
    }),
    api.on('restore.progress', (event) => {
      if (event.status !== 'started') {
        changed(event.unit);
      }
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
