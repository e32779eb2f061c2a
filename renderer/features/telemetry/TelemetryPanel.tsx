import { useEffect, useState } from 'react';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import { LOCALES } from '../../i18n/languages';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { formatMoment } from '../../i18n/format';
import { METRIC_VIEWS, type MetricView } from './metrics';
import { TelemetryCharts } from './TelemetryCharts';
import { telemetryContext, useTelemetry } from './telemetryContext';
import {
  createTelemetryStore,
  LIVE_MIN_SPAN_MS,
  LIVE_WINDOW_MS,
  TREND_SPAN_MS,
  type TelemetryView,
} from './telemetryStore';
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
  const trend = useTelemetry((s) => s.trend);
  const isLive = view === 'live';
  // A history view says which stored stretch it draws, not how often the live values come.
  const statusLine = (): string => {
    if (!isLive) {
      return trend
        ? t('telemetry.historyStatus', { from: formatMoment(trend.fromMs), to: formatMoment(trend.toMs) })
        : '';
    }
    const words = { live: 'telemetry.live', starting: 'telemetry.starting', failed: 'telemetry.failed' } as const;
    return status === 'idle' ? '' : t(words[status], { seconds: intervalMs / 1000 });
  };

  return (
    <section className="panel telemetry" data-testid="telemetry-panel" data-status={status} data-view={view}>
      <header className="panel__head telemetry__head">
        <h2 className="section-title">{isLive ? t('telemetry.title') : t('telemetry.historyTitle')}</h2>
        <span
          className={`telemetry__status telemetry__status--${isLive ? status : 'history'}`}
          data-testid="telemetry-status"
        >
          {statusLine()}
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
    return <TelemetryCharts samples={live} fromMs={0} toMs={1} isEmpty />;
  }
  // A strip chart: it fills from the left during the first minute, widens up to its window, then scrolls.
  const fromMs = Math.max(oldest, newest - LIVE_WINDOW_MS);
  const toMs = Math.max(newest, fromMs + LIVE_MIN_SPAN_MS);
  return <TelemetryCharts samples={live} fromMs={fromMs} toMs={toMs} />;
}

function TrendCharts({ view }: { view: Exclude<TelemetryView, 'live'> }) {
  const { t } = useI18n();
  const trend = useTelemetry((s) => s.trend);
  const trendError = useTelemetry((s) => s.trendError);
  const isLoading = useTelemetry((s) => s.isTrendLoading);
  const reload = useTelemetry((s) => s.actions.reloadTrend);
  const loadDetail = useTelemetry((s) => s.actions.loadDetail);
  if (trendError) {
    return <ErrorNotice error={trendError} testId="telemetry-trend-error" onRetry={() => void reload()} />;
  }
  if (!trend) {
    return <p className="muted telemetry__empty">{isLoading ? t('telemetry.loading') : ''}</p>;
  }
  const span = TREND_SPAN_MS[view];
  // The axis spans the whole window asked for, however little of it holds samples; a new window starts unzoomed.
  return (
    <TelemetryCharts
      key={view}
      samples={trend.samples}
      fromMs={Math.max(trend.fromMs, trend.toMs - span)}
      toMs={trend.toMs}
      view={view}
      isEmpty={trend.samples.length === 0}
      loadDetail={loadDetail}
    />
  );
}
