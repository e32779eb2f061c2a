import type { SimJournalLine } from './simJournal';

/**
 * The hardware E-Stop of a simulated vehicle: gpio59, active-low, read through sysfs like on the Orange Pi. The pin's
 * value is the file itself (`state.files`), so a trainer can also make the pin and the firmware disagree by hand.
 */
export const SIM_ESTOP_GPIO_PATH = '/sys/class/gpio/gpio59/value';

export const PIN_PRESSED = '0\n';
export const PIN_RELEASED = '1\n';

/** What oht50_main prints as the E-Stop goes through its states (deploy/scripts/estop_latency_test.sh greps these). */
export function estopLines(
  event: 'pressed' | 'released' | 'reset' | 'reset-refused',
  processName: string,
  pid: number,
): SimJournalLine[] {
  const line = (message: string): SimJournalLine => ({ identifier: processName, pid, message });
  switch (event) {
    case 'pressed':
      return [
        line('[WARN] E-Stop TRIGGERED! (gpio59 low)'),
        line('[INFO] Emergency handling activated: motors disabled, state ESTOP'),
      ];
    case 'released':
      return [line('[INFO] E-Stop input released (gpio59 high); ESTOP stays latched until reset')];
    case 'reset':
      return [line('[INFO] E-Stop reset: ESTOP -> IDLE')];
    case 'reset-refused':
      return [line('[WARN] E-Stop reset refused: E-Stop input still active')];
  }
}
