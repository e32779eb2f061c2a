import { useEffect, useMemo, useState } from 'react';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import { LOCALES } from '../../i18n/languages';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { CHART_VIEWS, METRIC_VIEWS, metricView, thresholdLines, type MetricView } from './metrics';
import { TelemetryChart, type ChartSeries } from './TelemetryChart';
import { telemetryContext, useTelemetry } from './telemetryContext';
import {
  createTelemetryStore,
  LIVE_MIN_SPAN_MS,
  LIVE_WINDOW_MS,
  TREND_SPAN_MS,
  type TelemetryView,
} from './telemetryStore';
import { useThresholdsInForce } from './useThresholdsInForce';
import '../../styles/telemetry.css';

/** Live values and charts of one unit while its page is open, and its trends over a day or a week. */
export function TelemetryPanel({ name }: { name: string }) {
  const api = useApi();
  const [store] = useState(() => createTelemetryStore(api, name));
  const { generation } = useLiveStatus();
  // Started when the page opens and stopped when it closes; after the event stream came back, started afresh.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return (
    <telemetryContext.Context value={store}>
      <TelemetryLayout />
    </telemetryContext.Context>
  );
}

const VIEWS: readonly TelemetryView[] = ['live', '24h', '7d'];

function TelemetryLayout() {
  const { t } = useI18n();
  const status = useTelemetry((s) => s.status);
  const startError = useTelemetry((s) => s.startError);
  const intervalMs = useTelemetry((s) => s.intervalMs);
  const view = useTelemetry((s) => s.view);
  const dropped = useTelemetry((s) => s.dropped);
  const setView = useTelemetry((s) => s.actions.setView);
  const retry = useTelemetry((s) => s.actions.retry);

  return (
    <section className="panel telemetry" data-testid="telemetry-panel" data-status={status} data-view={view}>
      <header className="panel__head telemetry__head">
        <h2 className="section-title">{t('telemetry.title')}</h2>
        <span className={`telemetry__status telemetry__status--${status}`} data-testid="telemetry-status">
          {status === 'live'
            ? t('telemetry.live', { seconds: intervalMs / 1000 })
            : status === 'starting'
              ? t('telemetry.starting')
              : status === 'failed'
                ? t('telemetry.failed')
                : ''}
        </span>
        <div className="telemetry__views" role="group" aria-label={t('telemetry.range')}>
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              className={`button button--small${v === view ? ' telemetry__view--on' : ''}`}
              aria-pressed={v === view}
              data-testid={`trend-range-${v}`}
              onClick={() => void setView(v)}
            >
              {t(`telemetry.view.${v}`)}
            </button>
          ))}
        </div>
      </header>
      {status === 'failed' ? <ErrorNotice error={startError} testId="telemetry-error" onRetry={retry} /> : null}
      <LiveValues />
      {dropped > 0 ? (
        <p className="muted telemetry__note" data-testid="telemetry-dropped">
          {t('telemetry.dropped', { count: dropped })}
        </p>
      ) : null}
      {view === 'live' ? <LiveCharts /> : <TrendCharts view={view} />}
    </section>
  );
}

function LiveValues() {
  const { t, language } = useI18n();
  const latest = useTelemetry((s) => s.latest);
  const problems = latest?.problems ?? [];
  return (
    <>
      <dl className="telemetry__values" data-testid="telemetry-values" data-at={latest?.at ?? ''}>
        {METRIC_VIEWS.map((metric) => (
          <div key={metric.id} className="telemetry__value">
            <dt>{t(metric.label)}</dt>
            <dd data-testid={`telemetry-value-${metric.id}`}>{formatValue(metric, latest, t, language)}</dd>
          </div>
        ))}
      </dl>
      {problems.length > 0 ? (
        <ul className="telemetry__problems" data-testid="telemetry-problems" aria-label={t('telemetry.problems')}>
          {problems.map((problem, i) => {
            const words = latest?.problemWords?.[i];
            return <li key={problem}>{words ? <SaidText said={words} fallback={problem} /> : problem}</li>;
          })}
        </ul>
      ) : null}
    </>
  );
}

function formatValue(
  metric: MetricView,
  sample: TelemetrySample | null,
  t: ReturnType<typeof useI18n>['t'],
  language: keyof typeof LOCALES,
): string {
  const value = sample?.metrics[metric.id];
  if (value === undefined) {
    return '—';
  }
  if (metric.id === 'firmware.up') {
    return value === 1 ? t('telemetry.firmware.up') : t('telemetry.firmware.down');
  }
  const number = value.toLocaleString(LOCALES[language], {
    minimumFractionDigits: metric.digits,
    maximumFractionDigits: metric.digits,
  });
  return metric.unit ? `${number} ${metric.unit}` : number;
}

function LiveCharts() {
  const live = useTelemetry((s) => s.live);
  const oldest = live[0]?.at;
  const newest = live.at(-1)?.at;
  if (oldest === undefined || newest === undefined) {
    return <Charts samples={live} fromMs={0} toMs={1} isEmpty />;
  }
  // A strip chart: it fills from the left during the first minute, widens up to its window, then scrolls.
  const fromMs = Math.max(oldest, newest - LIVE_WINDOW_MS);
  const toMs = Math.max(newest, fromMs + LIVE_MIN_SPAN_MS);
  return <Charts samples={live} fromMs={fromMs} toMs={toMs} />;
}

function TrendCharts({ view }: { view: Exclude<TelemetryView, 'live'> }) {
  const { t } = useI18n();
  const trend = useTelemetry((s) => s.trend);
  const trendError = useTelemetry((s) => s.trendError);
  const isLoading = useTelemetry((s) => s.isTrendLoading);
  const reload = useTelemetry((s) => s.actions.reloadTrend);
  if (trendError) {
    return <ErrorNotice error={trendError} testId="telemetry-trend-error" onRetry={() => void reload()} />;
  }
  if (!trend) {
    return <p className="muted telemetry__empty">{isLoading ? t('telemetry.loading') : ''}</p>;
  }
  const span = TREND_SPAN_MS[view];
  return (
    <Charts
      samples={trend.samples}
      fromMs={Math.max(trend.fromMs, trend.toMs - span)}
      toMs={trend.toMs}
      view={view}
      isEmpty={trend.samples.length === 0}
    />
  );
}

type ChartsProps = {
  samples: readonly TelemetrySample[];
  fromMs: number;
  toMs: number;
  view?: TelemetryView;
  isEmpty?: boolean;
};

function Charts({ samples, fromMs, toMs, view = 'live', isEmpty = false }: ChartsProps) {
  const { t, language } = useI18n();
  const formats = useMemo(() => timeFormats(LOCALES[language], view), [language, view]);
  const ticks = useMemo(() => timeTicks(fromMs, toMs), [fromMs, toMs]);
  const thresholds = useThresholdsInForce();
  // The series the technician hid by their legend key: the others keep their colours and axes.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = (metric: string): void =>
    setHidden((was) => {
      const next = new Set(was);
      if (!next.delete(metric)) {
        next.add(metric);
      }
      return next;
    });
  const charts = useMemo(
    () =>
      CHART_VIEWS.map((chart) => ({
        chart,
        series: chart.metrics.map((id, i): ChartSeries => {
          const m = metricView(id);
          return {
            metric: id,
            label: m ? t(m.label) : id,
            color: m?.color ?? '#000',
            unit: m?.unit ?? '',
            digits: m?.digits ?? 1,
            axis: chart.id === 'motor' && i > 0 ? 'right' : 'left',
          };
        }),
      })),
    [t],
  );
  return (
    <div className="telemetry__charts">
      {isEmpty ? (
        <p className="muted telemetry__empty" data-testid="telemetry-empty">
          {view === 'live' ? t('telemetry.waiting') : t('telemetry.trendEmpty')}
        </p>
      ) : null}
      {charts.map(({ chart, series }) => (
        <figure key={chart.id} className="telemetry__figure">
          <figcaption className="telemetry__caption">
            <span className="telemetry__chart-title">{t(chart.title)}</span>
            <span className="telemetry__legend" role="group" aria-label={t('telemetry.pickSeries')}>
              {series.map((s) => (
                <button
                  key={s.metric}
                  type="button"
                  className="telemetry__key"
                  aria-pressed={!hidden.has(s.metric)}
                  onClick={() => toggle(s.metric)}
                  data-testid={`series-toggle-${s.metric}`}
                >
                  <span className="telemetry__swatch" style={{ background: s.color }} aria-hidden="true" />
                  {s.label}
                  {s.unit ? ` (${s.unit})` : ''}
                  {s.axis === 'right' ? ` ${t('telemetry.rightAxis')}` : ''}
                </button>
              ))}
            </span>
          </figcaption>
          <TelemetryChart
            chartId={chart.id}
            samples={samples}
            series={series.filter((s) => !hidden.has(s.metric))}
            thresholds={thresholdLines(
              series.filter((s) => !hidden.has(s.metric)).map((s) => s.metric),
              thresholds,
            )}
            fromMs={fromMs}
            toMs={toMs}
            title={t(chart.title)}
            domain={chart.domain}
            formatTime={formats.full}
            formatTick={formats.tick}
            ticks={ticks}
          />
        </figure>
      ))}
    </div>
  );
}

function timeFormats(
  locale: string,
  view: TelemetryView,
): { tick: (ms: number) => string; full: (ms: number) => string } {
  const tick =
    view === '7d'
      ? new Intl.DateTimeFormat(locale, { weekday: 'short', day: '2-digit', month: '2-digit' })
      : view === '24h'
        ? new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
        : new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  return { tick: (ms) => tick.format(ms), full: (ms) => full.format(ms) };
}

const TICK_STEPS_MS = [
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1_800,
  3_600,
  3 * 3_600,
  6 * 3_600,
  12 * 3_600,
  24 * 3_600,
].map((seconds) => seconds * 1000);

/**
 * Ticks a technician reads at a glance: round times (every 10 s, every 3 hours, each local midnight…), the
 * step chosen so that about six fit.
 */
function timeTicks(fromMs: number, toMs: number): number[] {
  const span = Math.max(1, toMs - fromMs);
  const step = TICK_STEPS_MS.find((candidate) => span / candidate <= 7) ?? 24 * 3_600_000;
  const ticks: number[] = [];
  if (step < 3_600_000) {
    for (let at = Math.ceil(fromMs / step) * step; at <= toMs; at += step) {
      ticks.push(at);
    }
    return ticks;
  }
  // Whole hours and days are counted on the local clock, where midnight is.
  const stepHours = step / 3_600_000;
  const at = new Date(fromMs);
  at.setMinutes(0, 0, 0);
  at.setHours(Math.ceil(at.getHours() / stepHours) * stepHours);
  for (; at.getTime() <= toMs; at.setHours(at.getHours() + stepHours)) {
    if (at.getTime() >= fromMs) {
      ticks.push(at.getTime());
    }
  }
  return ticks;
}
