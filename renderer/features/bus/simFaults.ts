import type { ModuleType } from '../../../shared/domain/rs485Profile';
import type { SimFaultsInput } from '../../../shared/ipc/contracts/rs485';
import type { useI18n } from '../../i18n/I18nProvider';
import { moduleTypeKey } from './moduleText';

export type FaultChoice = {
  estopPressed: boolean;
  lowBattery: boolean;
  missing: ModuleType | '';
  noisy: boolean;
  slow: ModuleType | '';
};

export const NO_FAULTS: FaultChoice = { estopPressed: false, lowBattery: false, missing: '', noisy: false, slow: '' };

/** The contract's faults for what the trainer ticked. */
export function faultsOf(choice: FaultChoice): SimFaultsInput {
  return {
    ...(choice.estopPressed ? { estopPressed: true } : {}),
    ...(choice.lowBattery ? { lowBattery: true } : {}),
    ...(choice.missing !== '' ? { missing: [choice.missing] } : {}),
    ...(choice.noisy ? { noise: { everyNth: 7 } } : {}),
    ...(choice.slow !== '' ? { slowMs: { [choice.slow]: 400 } } : {}),
  };
}

/** A running simulator's faults in words, or that it is healthy. */
export function describeFaults(faults: SimFaultsInput, t: ReturnType<typeof useI18n>['t']): string {
  const parts: string[] = [];
  if (faults.estopPressed) {
    parts.push(t('bus.sim.estop'));
  }
  if (faults.lowBattery) {
    parts.push(t('bus.sim.lowBattery'));
  }
  for (const type of faults.missing ?? []) {
    parts.push(t('bus.sim.missingOne', { module: t(moduleTypeKey(type)) }));
  }
  if (faults.noise) {
    parts.push(t('bus.sim.noise'));
  }
  for (const type of Object.keys(faults.slowMs ?? {})) {
    parts.push(t('bus.sim.slowOne', { module: t(moduleTypeKey(type as ModuleType)) }));
  }
  return parts.length > 0 ? parts.join(', ') : t('bus.sim.healthy');
}
