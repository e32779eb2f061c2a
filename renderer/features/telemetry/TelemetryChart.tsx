import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import { chartRows } from './chartPoints';
import type { ThresholdLine } from './metrics';
import { useChartGestures, type ChartGestures } from './useChartGestures';

export type ChartSeries = {
  metric: string;
  label: string;
  color: string;
  unit: string;
  digits: number;
  /** Series with a different scale go on the right-hand axis. */
  axis?: 'left' | 'right';
};

type Props = {
  samples: readonly TelemetrySample[];
  series: readonly ChartSeries[];
  fromMs: number;
  toMs: number;
  title: string;
  formatTime: (ms: number) => string;
  formatTick: (ms: number) => string;
  domain?: readonly [number, number] | undefined;
  /** Where the time axis has its ticks; recharts picks them when absent. */
  ticks?: number[] | undefined;
  height?: number;
  chartId: string;
  /** Limits of the thresholds in force, on the left axis: dashed at the warning, solid at the critical. */
  thresholds?: readonly ThresholdLine[];
  /** Zoom and pan: with them the chart takes the focus, its keys, the wheel and a drag. */
  gestures?: ChartGestures;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
  /** What the chart says to a screen reader and on hover: its title, its span and its keys. */
  description?: string;
};

const MARGIN = { top: 8, right: 8, bottom: 0, left: 0 };

const AXIS_WIDTH = 52;

/**
 * A recharts line chart of telemetry that stays cheap however much data it is given: the samples are thinned
 * to the chart's own pixel width first (min and max kept), nothing animates, and no dots are drawn.
 */
export function TelemetryChart({
  samples,
  series,
  fromMs,
  toMs,
  title,
  formatTime,
  formatTick,
  domain,
  ticks,
  height = 220,
  chartId,
  thresholds = [],
  gestures,
  onKeyDown,
  description,
}: Props) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const hasRight = series.some((s) => s.axis === 'right');
  const plotWidth = Math.max(50, width - AXIS_WIDTH * (hasRight ? 2 : 1) - MARGIN.left - MARGIN.right);
  const { onPointerDown } = useChartGestures(
    box,
    { fromMs, toMs },
    { left: MARGIN.left + AXIS_WIDTH, width: plotWidth },
    gestures,
  );
  const metrics = useMemo(() => series.map((s) => s.metric), [series]);
  const data = useMemo(() => {
    const rows = chartRows(samples, metrics, fromMs, toMs, plotWidth);
    return rows.map((row) => {
      const point: Record<string, number | null> = { at: row.at };
      row.values.forEach((value, i) => {
        point[`s${i}`] = value;
      });
      return point;
    });
  }, [samples, metrics, fromMs, toMs, plotWidth]);

  return (
    <div
      ref={box}
      className={`telemetry-chart${gestures ? ' telemetry-chart--zoomable' : ''}`}
      role={gestures ? 'group' : 'img'}
      aria-label={description ?? title}
      title={description}
      {...(gestures ? { tabIndex: 0, 'aria-keyshortcuts': '+ - ArrowLeft ArrowRight 0 Home' } : {})}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      data-testid="telemetry-chart"
      data-chart={chartId}
      data-points={data.length}
      data-from={fromMs}
      data-to={toMs}
      data-thresholds={thresholds.map((line) => `${line.metric}:${line.severity}:${line.value}`).join(' ')}
    >
      {width > 0 ? (
        <LineChart width={width} height={height} data={data} margin={MARGIN}>
          <CartesianGrid vertical={false} />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={[fromMs, toMs]}
            allowDataOverflow
            tickFormatter={formatTick}
            {...(ticks ? { ticks } : {})}
            minTickGap={ticks ? 8 : 40}
            tick={{ fontSize: 13 }}
          />
          <YAxis
            yAxisId="left"
            width={AXIS_WIDTH}
            domain={domain ? [domain[0], domain[1]] : ['auto', 'auto']}
            tick={{ fontSize: 13 }}
          />
          {hasRight ? (
            <YAxis
              yAxisId="right"
              orientation="right"
              width={AXIS_WIDTH}
              domain={['auto', 'auto']}
              tick={{ fontSize: 13 }}
            />
          ) : null}
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(label) => formatTime(Number(label))}
            formatter={(value, _name, item) => {
              const s = series[Number(String(item.dataKey).slice(1))];
              return typeof value === 'number' && s ? `${value.toFixed(s.digits)}${s.unit ? ` ${s.unit}` : ''}` : '—';
            }}
          />
          {thresholds.map((line) => (
            <ReferenceLine
              key={`${line.metric}-${line.severity}`}
              yAxisId="left"
              y={line.value}
              stroke={line.color}
              strokeWidth={line.severity === 'critical' ? 1.5 : 1}
              strokeDasharray={line.severity === 'critical' ? undefined : '6 4'}
              strokeOpacity={0.8}
              ifOverflow="extendDomain"
            />
          ))}
          {series.map((s, i) => (
            <Line
              key={s.metric}
              yAxisId={s.axis ?? 'left'}
              dataKey={`s${i}`}
              name={s.label}
              stroke={s.color}
              strokeWidth={1.8}
              type="linear"
              dot={false}
              activeDot={{ r: 3 }}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      ) : null}
    </div>
  );
}

/** The element's content width, kept up to date as the window or the layout changes. */
function useWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) {
      return;
    }
    const measure = (): void => setWidth(Math.floor(element.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
