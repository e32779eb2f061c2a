/**
 * The systemd units a simulated vehicle runs, per software generation. The workstation tells the two
 * generations apart by which unit names exist, so the names here must match the real images exactly.
 */
export type SimVariant = 'runbook' | 'newer';
export type SimServiceRole = 'backend' | 'firmware';

export type SimUnitDefinition = {
  role: SimServiceRole;
  /** Full unit name, with the `.service` suffix. */
  unit: string;
  description: string;
  execStart: string;
  /** What `ps`/`systemctl status` shows as the main process. */
  processName: string;
  runAs: string;
  workingDirectory: string;
  httpPort: number;
};

const BACKEND: SimUnitDefinition = {
  role: 'backend',
  unit: 'oht50-backend.service',
  description: 'OHT-50 Backend API',
  execStart: '/opt/oht50/venv/bin/uvicorn app.main:app --host 0.0.0.0 --port 8000',
  processName: 'uvicorn',
  runAs: 'oht',
  workingDirectory: '/opt/oht50/backend',
  httpPort: 8000,
};

/** The runbook's image: firmware in its own unit, its HTTP API on :8081. */
const RUNBOOK_FIRMWARE: SimUnitDefinition = {
  role: 'firmware',
  unit: 'oht50-firmware.service',
  description: 'OHT-50 Master Control Firmware',
  execStart: '/opt/oht50/firmware/oht50_main',
  processName: 'oht50_main',
  runAs: 'root',
  workingDirectory: '/opt/oht50/firmware',
  httpPort: 8081,
};

/** The newer image from deploy/systemd: firmware is `oht50.service`, its HTTP API on :8080. */
const NEWER_FIRMWARE: SimUnitDefinition = {
  role: 'firmware',
  unit: 'oht50.service',
  description: 'OHT-50 Master Control Firmware',
  execStart: '/opt/oht50/firmware/build/oht50_main --debug',
  processName: 'oht50_main',
  runAs: 'oht',
  workingDirectory: '/opt/oht50/firmware',
  httpPort: 8080,
};

export function unitDefinitions(variant: SimVariant): Record<SimServiceRole, SimUnitDefinition> {
  switch (variant) {
    case 'runbook':
      return { backend: BACKEND, firmware: RUNBOOK_FIRMWARE };
    case 'newer':
      return { backend: BACKEND, firmware: NEWER_FIRMWARE };
  }
}
