import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import type { ChartSpec } from '../../../shared/domain/reportCharts';

const percent = (value: number) => `${Math.round(value * 100)} %`;

/** A report chart as the page draws it (the printed report draws the same spec to SVG in the core). */
export function ChartView({ spec }: { spec: ChartSpec }) {
  const axes = [
    <CartesianGrid key="grid" strokeDasharray="3 3" />,
    <XAxis key="x" dataKey={spec.xKey} tick={{ fontSize: 13 }} minTickGap={12} />,
    spec.percent ? (
      <YAxis key="y" domain={[0, 1]} tickFormatter={percent} tick={{ fontSize: 13 }} />
    ) : (
      <YAxis key="y" allowDecimals={false} tick={{ fontSize: 13 }} />
    ),
    <Tooltip
      key="tip"
      formatter={(value) => (spec.percent && typeof value === 'number' ? percent(value) : String(value))}
    />,
    <Legend key="legend" />,
  ];
  return (
    <figure className="report__chart" data-testid={`chart-${spec.id}`}>
      <figcaption className="section-title">{spec.title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        {spec.type === 'stacked-area' ? (
          <AreaChart data={spec.data}>
            {axes}
            {spec.series.map((s) => (
              <Area
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId="all"
                type="stepAfter"
                stroke={s.color}
                fill={s.color}
                fillOpacity={0.85}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        ) : (
          <BarChart data={spec.data}>
            {axes}
            {spec.series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="all" fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}
