import type { BusFrameView, BusSettingsInput } from '../../../shared/ipc/contracts/rs485';

/** Frames the page keeps on show; the core holds many more for the export. */
export const SHOWN_FRAMES = 300;

/** Newest first, bounded: the newest batch wins. */
export function keepNewest(held: readonly BusFrameView[], batch: readonly BusFrameView[], limit = SHOWN_FRAMES) {
  const merged = [...batch.slice().reverse(), ...held];
  return merged.length > limit ? merged.slice(0, limit) : merged;
}

/**
 * What is monitored: a bus this workstation is master of, or a port nobody here holds, listened to without sending
 * a byte (the vehicle's own firmware driving it, say).
 */
export type MonitorSource =
  { kind: 'bus'; busId: string } | { kind: 'listen'; port: string; settings: BusSettingsInput };

/** Hands an exported file to the browser to save: in Electron and in a plain browser alike. */
export function saveFile(name: string, content: string, type: string): void {
  const blob = new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
