export { TelemetryPanel } from './TelemetryPanel';
export { TelemetryChart } from './TelemetryChart';
