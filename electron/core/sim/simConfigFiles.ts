/**
 * The configuration a vehicle keeps under /etc/oht50 (vehicle facts §4): the firmware's module registry with its
 * scan and health settings, and the safety settings, so that the Files tab has a unit's real files to show.
 */
export function simConfigFiles(): Record<string, string> {
  return {
    '/etc/oht50/modules.yaml': [
      '# OHT-50 module registry (written by the firmware scan, kept by hand)',
      'scan_start: 0x02',
      'scan_end: 0x05',
      'health_interval_ms: 10000',
      'offline_threshold_ms: 30000',
      'retry_count: 3',
      'response_timeout_ms: 1000',
      'modules:',
      '  - { address: 0x02, type: power, name: Power }',
      '  - { address: 0x03, type: safety, name: Safety }',
      '  - { address: 0x04, type: travel, name: Travel }',
      '  - { address: 0x05, type: dock, name: Dock }',
      '',
    ].join('\n'),
    '/etc/oht50/safety_config.yaml': [
      'estop:',
      '  gpio: 59',
      '  active_low: true',
      '  debounce_ms: 20',
      'module_loss:',
      '  safety: estop',
      '  travel: stop',
      '  dock: warn',
      '',
    ].join('\n'),
  };
}
