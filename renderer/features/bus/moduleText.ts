import type { ModuleType } from '../../../shared/domain/rs485Profile';
import type { MessageKey } from '../../i18n/en';

/** The message key that names a module type in the technician's language. */
export function moduleTypeKey(type: ModuleType): MessageKey {
  switch (type) {
    case 'power':
      return 'bus.module.power';
    case 'safety':
      return 'bus.module.safety';
    case 'travel':
      return 'bus.module.travel';
    case 'dock':
      return 'bus.module.dock';
  }
}

/** A 16-bit word as the vehicle's documents write it: 0x0042. */
export function hexWord(value: number | null): string {
  return value === null ? '—' : `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The message key for how a write ended. */
export function outcomeKey(outcome: 'ok' | 'failed' | 'refused'): MessageKey {
  switch (outcome) {
    case 'ok':
      return 'bus.write.ok';
    case 'failed':
      return 'bus.write.failed';
    case 'refused':
      return 'bus.write.refusedResult';
  }
}
