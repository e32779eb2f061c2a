import { useMemo, useState, type ComponentProps } from 'react';

import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { Thresholds } from '../../../shared/domain/thresholds';
import { useI18n } from '../../i18n/I18nProvider';
import { formatMoment } from '../../i18n/format';
import { LOCALES } from '../../i18n/languages';
import { saveFile } from '../../platform/saveFile';
import { CHART_VIEWS, metricView, thresholdLines, type ChartView } from './metrics';
import { noMotorReason, type NoMotorReason } from './motorData';
import { TelemetryChart, type ChartSeries } from './TelemetryChart';
import { telemetryCsv, telemetryCsvFileName } from './telemetryCsv';
import { useTelemetry } from './telemetryContext';
import type { TelemetryView } from './telemetryStore';
import { timeFormats, timeTicks } from './timeAxis';
import { useThresholdsInForce } from './useThresholdsInForce';
import { useZoomDetail, type LoadDetail } from './useZoomDetail';
import { useChartZoom } from './useChartZoom';
import { shownSpan, ZOOM_STEP, zoomBy, type TimeSpan } from './viewport';

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
  const [exported, setExported] = useState<string | null>(null);
  const full = useMemo(() => ({ fromMs, toMs }), [fromMs, toMs]);
  const { zoom, setZoom, shown, gestures, onKeyDown } = useChartZoom(full);
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
  const axis: SharedAxis = {
    samples,
    fromMs: shown.fromMs,
    toMs: shown.toMs,
    formatTime: formats.full,
    formatTick: formats.tick,
    ticks,
    gestures,
    onKeyDown,
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
        {charts.map(({ chart, series }) => (
          <ChartFigure
            key={chart.id}
            chart={chart}
            series={series}
            hidden={hidden}
            onToggle={setHidden}
            noData={chart.id === 'motor' ? motorMissing : null}
            thresholds={thresholds}
            axis={axis}
          />
        ))}
      </div>
    </>
  );
}

/** What the charts of a window share: the samples, the time axis, and the keys and gestures that move it. */
type SharedAxis = Pick<
  ComponentProps<typeof TelemetryChart>,
  'samples' | 'fromMs' | 'toMs' | 'formatTime' | 'formatTick' | 'ticks' | 'gestures' | 'onKeyDown'
>;

/** One chart with its title and legend, or in its place the reason it has no data. */
function ChartFigure({
  chart,
  series,
  hidden,
  onToggle,
  noData,
  thresholds,
  axis,
}: {
  chart: ChartView;
  series: readonly ChartSeries[];
  hidden: ReadonlySet<string>;
  onToggle: (metric: string) => void;
  noData: NoMotorReason | null;
  thresholds: Thresholds | null;
  axis: SharedAxis;
}) {
  const { t } = useI18n();
  const drawn = series.filter((s) => !hidden.has(s.metric));
  const title = t(chart.title);
  const span = { from: formatMoment(axis.fromMs, true), to: formatMoment(axis.toMs, true) };
  return (
    <figure className="telemetry__figure">
      <figcaption className="telemetry__caption">
        <span className="telemetry__chart-title">{title}</span>
        {noData === null ? <SeriesKeys series={series} hidden={hidden} onToggle={onToggle} /> : null}
      </figcaption>
      {noData !== null ? (
        <p className="telemetry__no-data" data-testid="telemetry-no-motor" data-reason={noData}>
          {t('telemetry.noMotor', { reason: t(`telemetry.noMotor.${noData}`) })}
        </p>
      ) : (
        <TelemetryChart
          {...axis}
          chartId={chart.id}
          series={drawn}
          thresholds={thresholdLines(
            drawn.map((s) => s.metric),
            thresholds,
          )}
          title={title}
          description={t('telemetry.chartKeys', { title, ...span })}
          domain={chart.domain}
        />
      )}
    </figure>
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
