/**
 * Where each verdict sends the technician: section names of the vehicle team's operational runbook.
 * Kept in one place so that the procedures built from the runbook can link to the same names.
 */
export const RUNBOOK = {
  systemDown: 'Emergency › 1. System Down – Emergency Response',
  estop: 'Emergency › 2. E-Stop Triggered – Safety Response',
  communication: 'Emergency › 3. Communication Failure – Network Issues',
  serviceWontStart: "Troubleshooting › 1. Service Won't Start",
  apiNotResponding: 'Troubleshooting › 2. API Endpoints Not Responding',
  database: 'Troubleshooting › 3. Database Connection Issues',
  memoryCpu: 'Troubleshooting › 4. Memory/CPU Issues',
  alertActions: 'Monitoring & Alerts › 3. Alert Actions',
  highCpu: 'Monitoring & Alerts › 3. Alert Actions › High CPU Usage',
  highMemory: 'Monitoring & Alerts › 3. Alert Actions › High Memory Usage',
  highDisk: 'Monitoring & Alerts › 3. Alert Actions › High Disk Usage',
  serviceRecovery: 'Recovery › 1. Service Recovery',
  systemRecovery: 'Recovery › 3. System Recovery',
  unauthorizedAccess: 'Security Incidents › 1. Unauthorized Access',
} as const;
