import type { Thresholds } from '../../../shared/domain/thresholds';
import type { MessageKey } from '../../i18n/en';

/** The metrics the panel shows, in order, with their label, unit and how many decimals a reading deserves. */
export type MetricView = {
  id: string;
  label: MessageKey;
  unit: string;
  digits: number;
  color: string;
  /** The limit in the thresholds in force that judges this metric, drawn as lines on its chart. */
  threshold?: ThresholdKey;
};

export type ThresholdKey = Exclude<keyof Thresholds, 'logWindowMin'>;

export const METRIC_VIEWS = [
  {
    id: 'cpu.percent',
    label: 'telemetry.metric.cpu',
    unit: '%',
    digits: 1,
    color: '#0b5cad',
    threshold: 'cpuPercent',
  },
  {
    id: 'memory.percent',
    label: 'telemetry.metric.memory',
    unit: '%',
    digits: 1,
    color: '#8a3ffc',
    threshold: 'memoryPercent',
  },
  {
    id: 'disk.percent',
    label: 'telemetry.metric.disk',
    unit: '%',
    digits: 0,
    color: '#b35c00',
    threshold: 'diskPercent',
  },
  { id: 'backend.motor_speed', label: 'telemetry.metric.motorSpeed', unit: '', digits: 0, color: '#0f7b6c' },
  {
    id: 'backend.motor_temperature',
    label: 'telemetry.metric.motorTemperature',
    unit: '°C',
    digits: 1,
    color: '#c0201f',
  },
  { id: 'firmware.up', label: 'telemetry.metric.firmware', unit: '', digits: 0, color: '#17803a' },
  { id: 'sample.latencyMs', label: 'telemetry.metric.latency', unit: 'ms', digits: 0, color: '#46515e' },
] as const satisfies readonly MetricView[];

export type MetricId = (typeof METRIC_VIEWS)[number]['id'];

export type ChartView = {
  id: 'resources' | 'motor';
  title: MessageKey;
  metrics: readonly MetricId[];
  domain?: [number, number];
};

/** Percentages share one 0–100 axis; the motor's speed and temperature get their own chart. */
export const CHART_VIEWS: readonly ChartView[] = [
  {
    id: 'resources',
    title: 'telemetry.chart.resources',
    metrics: ['cpu.percent', 'memory.percent', 'disk.percent'],
    domain: [0, 100],
  },
  { id: 'motor', title: 'telemetry.chart.motor', metrics: ['backend.motor_speed', 'backend.motor_temperature'] },
];

export function metricView(id: string): MetricView | undefined {
  return METRIC_VIEWS.find((m) => m.id === id);
}

/** A horizontal line at a limit of the thresholds in force, in its metric's colour. */
export type ThresholdLine = { metric: string; value: number; severity: 'warning' | 'critical'; color: string };

/** The warning and critical lines of the metrics shown that the thresholds judge. */
export function thresholdLines(metrics: readonly string[], thresholds: Thresholds | null): ThresholdLine[] {
  if (!thresholds) {
    return [];
  }
  return metrics.flatMap((id) => {
    const view: MetricView | undefined = metricView(id);
    if (!view?.threshold) {
      return [];
    }
    const limit = thresholds[view.threshold];
    return [
      { metric: id, value: limit.warning, severity: 'warning' as const, color: view.color },
      { metric: id, value: limit.critical, severity: 'critical' as const, color: view.color },
    ];
  });
}
