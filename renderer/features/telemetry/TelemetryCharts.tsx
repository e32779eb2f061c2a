import { useMemo, useState, type KeyboardEvent } from 'react';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import { useI18n } from '../../i18n/I18nProvider';
import { formatMoment } from '../../i18n/format';
import { LOCALES } from '../../i18n/languages';
import { saveFile } from '../../platform/saveFile';
import { CHART_VIEWS, metricView, thresholdLines } from './metrics';
import { noMotorReason } from './motorData';
import { TelemetryChart, type ChartSeries } from './TelemetryChart';
import { telemetryCsv, telemetryCsvFileName } from './telemetryCsv';
import { useTelemetry } from './telemetryContext';
import type { TelemetryView } from './telemetryStore';
import { timeFormats, timeTicks } from './timeAxis';
import { useThresholdsInForce } from './useThresholdsInForce';
import { useZoomDetail, type LoadDetail } from './useZoomDetail';
import { panByMs, shownSpan, viewportForKey, ZOOM_STEP, zoomBy, type TimeSpan } from './viewport';

type Props = {
  samples: readonly TelemetrySample[];
  /** The view's whole window: what the time axis spans until the technician zooms. */
  fromMs: number;
  toMs: number;
  view?: TelemetryView;
  isEmpty?: boolean;
  /** Reads a zoomed stretch again at its own resolution (the history views); the live view has every sample. */
  loadDetail?: LoadDetail;
};

/**
 * The unit's charts over one time window, sharing one time axis: zoomed and moved together (keys, wheel, drag or
 * the buttons), and exported as CSV exactly as shown (that stretch of time, the series not hidden).
 */
export function TelemetryCharts({
  samples: windowSamples,
  fromMs,
  toMs,
  view = 'live',
  isEmpty = false,
  loadDetail,
}: Props) {
  const { t, language } = useI18n();
  const unit = useTelemetry((s) => s.unit);
  const [zoom, setZoom] = useState<TimeSpan | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const full = useMemo(() => ({ fromMs, toMs }), [fromMs, toMs]);
  const shown = shownSpan(full, zoom);
  const samples = useZoomDetail(windowSamples, shown, zoom !== null, loadDetail);
  const { ticks, stepMs } = useMemo(() => timeTicks(shown.fromMs, shown.toMs), [shown.fromMs, shown.toMs]);
  const formats = useMemo(
    () => timeFormats(LOCALES[language], shown.fromMs, shown.toMs, stepMs),
    [language, shown.fromMs, shown.toMs, stepMs],
  );
  const thresholds = useThresholdsInForce();
  const [hidden, setHidden] = useHiddenSeries();
  const charts = useChartSeries();
  const motorMissing = noMotorReason(samples, shown);
  // What is drawn: the series not hidden, of the charts that draw (a chart saying why it has no data draws none).
  const shownMetrics = charts
    .filter(({ chart }) => chart.id !== 'motor' || motorMissing === null)
    .flatMap(({ series }) => series.map((s) => s.metric))
    .filter((m) => !hidden.has(m));
  const from = formatMoment(shown.fromMs, true);
  const to = formatMoment(shown.toMs, true);

  const gestures = {
    // From the state as it is by then: several wheel notches or drag moves may come before the next render.
    zoomAt: (factor: number, anchorMs: number) => setZoom((was) => zoomBy(full, was, factor, anchorMs)),
    panByMs: (deltaMs: number) => setZoom((was) => panByMs(full, was, deltaMs)),
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (viewportForKey(event.key, full, zoom) !== undefined) {
      event.preventDefault();
      const key = event.key;
      setZoom((was) => {
        const next = viewportForKey(key, full, was);
        return next === undefined ? was : next;
      });
    }
  };
  const exportCsv = (): void => {
    const csv = telemetryCsv(samples, shownMetrics, shown);
    const name = telemetryCsvFileName(unit, shown);
    saveFile(new Blob([csv.content], { type: 'text/csv' }), name);
    setExported(t('telemetry.exported', { rows: csv.rows, name }));
  };

  return (
    <>
      <ChartTools full={full} zoom={zoom} onZoom={setZoom} onExport={exportCsv} canExport={!isEmpty} />
      {exported ? (
        <p className="muted telemetry__note" role="status" data-testid="telemetry-exported">
          {exported}
        </p>
      ) : null}
      <div className="telemetry__charts">
        {isEmpty ? (
          <p className="muted telemetry__empty" data-testid="telemetry-empty">
            {view === 'live' ? t('telemetry.waiting') : t('telemetry.trendEmpty')}
          </p>
        ) : null}
        {charts.map(({ chart, series }) => {
          const drawn = series.filter((s) => !hidden.has(s.metric));
          const noData = chart.id === 'motor' ? motorMissing : null;
          return (
            <figure key={chart.id} className="telemetry__figure">
              <figcaption className="telemetry__caption">
                <span className="telemetry__chart-title">{t(chart.title)}</span>
                {noData === null ? <SeriesKeys series={series} hidden={hidden} onToggle={setHidden} /> : null}
              </figcaption>
              {noData !== null ? (
                <p className="telemetry__no-data" data-testid="telemetry-no-motor" data-reason={noData}>
                  {t('telemetry.noMotor', { reason: t(`telemetry.noMotor.${noData}`) })}
                </p>
              ) : (
                <TelemetryChart
                  chartId={chart.id}
                  samples={samples}
                  series={drawn}
                  thresholds={thresholdLines(
                    drawn.map((s) => s.metric),
                    thresholds,
                  )}
                  fromMs={shown.fromMs}
                  toMs={shown.toMs}
                  title={t(chart.title)}
                  description={t('telemetry.chartKeys', { title: t(chart.title), from, to })}
                  domain={chart.domain}
                  formatTime={formats.full}
                  formatTick={formats.tick}
                  ticks={ticks}
                  gestures={gestures}
                  onKeyDown={onKeyDown}
                />
              )}
            </figure>
          );
        })}
      </div>
    </>
  );
}

/** The buttons that do what the keys do, the zoomed stretch in words, and the export. */
function ChartTools({
  full,
  zoom,
  onZoom,
  onExport,
  canExport,
}: {
  full: TimeSpan;
  zoom: TimeSpan | null;
  onZoom: (next: TimeSpan | null) => void;
  onExport: () => void;
  canExport: boolean;
}) {
  const { t } = useI18n();
  const shown = shownSpan(full, zoom);
  return (
    <div className="telemetry__tools" role="toolbar" aria-label={t('telemetry.zoomTools')}>
      <button
        type="button"
        className="button button--small"
        onClick={() => onZoom(zoomBy(full, zoom, ZOOM_STEP))}
        data-testid="telemetry-zoom-in"
      >
        {t('telemetry.zoomIn')}
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => onZoom(zoomBy(full, zoom, 1 / ZOOM_STEP))}
        disabled={zoom === null}
        data-testid="telemetry-zoom-out"
      >
        {t('telemetry.zoomOut')}
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => onZoom(null)}
        disabled={zoom === null}
        data-testid="telemetry-zoom-reset"
      >
        {t('telemetry.zoomReset')}
      </button>
      <span className="muted telemetry__span" data-testid="telemetry-span" data-zoomed={zoom !== null}>
        {zoom !== null
          ? t('telemetry.zoomed', { from: formatMoment(shown.fromMs, true), to: formatMoment(shown.toMs, true) })
          : ''}
      </span>
      <button
        type="button"
        className="button button--small"
        onClick={onExport}
        disabled={!canExport}
        data-testid="telemetry-export-csv"
      >
        {t('telemetry.exportCsv')}
      </button>
    </div>
  );
}

/** A chart's legend: one key per series, pressed to hide or show it. */
function SeriesKeys({
  series,
  hidden,
  onToggle,
}: {
  series: readonly ChartSeries[];
  hidden: ReadonlySet<string>;
  onToggle: (metric: string) => void;
}) {
  const { t } = useI18n();
  return (
    <span className="telemetry__legend" role="group" aria-label={t('telemetry.pickSeries')}>
      {series.map((s) => (
        <button
          key={s.metric}
          type="button"
          className="telemetry__key"
          aria-pressed={!hidden.has(s.metric)}
          onClick={() => onToggle(s.metric)}
          data-testid={`series-toggle-${s.metric}`}
        >
          <span className="telemetry__swatch" style={{ background: s.color }} aria-hidden="true" />
          {s.label}
          {s.unit ? ` (${s.unit})` : ''}
          {s.axis === 'right' ? ` ${t('telemetry.rightAxis')}` : ''}
        </button>
      ))}
    </span>
  );
}

/** The series the technician hid by their legend key: the others keep their colours and axes. */
function useHiddenSeries(): [ReadonlySet<string>, (metric: string) => void] {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = (metric: string): void =>
    setHidden((was) => {
      const next = new Set(was);
      if (!next.delete(metric)) {
        next.add(metric);
      }
      return next;
    });
  return [hidden, toggle];
}

/** Each chart with its series in the current language; the motor's temperature on its own right-hand axis. */
function useChartSeries() {
  const { t } = useI18n();
  return useMemo(
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
}
