import { useEffect, useId, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { RunNext } from './RunNext';
import { useRun } from './runContext';
import { saveFile, savePdf } from '../../platform/saveFile';

/** How the run ended, the technician's signature, and the report in each format. */
export function RunEnd() {
  const { t, time } = useI18n();
  const run = useRun((state) => state.run);
  const isBusy = useRun((state) => state.isBusy);
  const sign = useRun((state) => state.actions.sign);
  const [name, setName] = useState('');
  const id = useId();
  useTechnicianName(setName);
  if (!run) {
    return null;
  }
  return (
    <section className="panel run__end" data-testid="run-end">
      <h2 className="section-title">{t(`run.ended.${run.state}`)}</h2>
      {run.abortReason ? <p data-testid="run-abort-reason-shown">{run.abortReason}</p> : null}
      {run.escalationLevel !== null ? <p>{t('run.level', { level: run.escalationLevel })}</p> : null}
      <RunNext units={run.units} />
      {run.signature ? (
        <p className="notice notice--ok" data-testid="run-signature">
          {t('run.signedBy', { name: run.signature.signedBy, time: time(run.signature.signedAt) })}{' '}
          <span className="mono">sha256:{run.signature.recordHash.slice(0, 16)}…</span>
        </p>
      ) : (
        <form
          className="run__sign"
          onSubmit={(event) => {
            event.preventDefault();
            void sign(name.trim());
          }}
        >
          <p className="muted">{t('run.signIntro')}</p>
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('run.signName')}</label>
            <input
              id={`${id}-name`}
              value={name}
              autoComplete="name"
              data-testid="sign-name"
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <button
            type="submit"
            className="button button--primary"
            data-testid="sign-submit"
            disabled={isBusy || name.trim().length < 2}
          >
            {t('run.sign')}
          </button>
        </form>
      )}
      <ReportExport runId={run.runId} />
    </section>
  );
}

/**
 * Offers the technician's name set in Settings as the signature, still to be read and signed by hand. A name typed
 * before the session answered is kept; without a session name (or if it cannot be read) the field stays empty.
 */
function useTechnicianName(setName: (update: (typed: string) => string) => void): void {
  const api = useApi();
  useEffect(() => {
    let live = true;
    api.call('session.get', {}).then(
      (session) => {
        const technician = session.technician.name;
        if (live && technician) {
          setName((typed) => (typed === '' ? technician : typed));
        }
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, setName]);
}

/** Saves the report as JSON or CSV, or opens the printable report (print it to PDF from there). */
export function ReportExport({ runId }: { runId: string }) {
  const api = useApi();
  const { t, language } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const download = async (format: 'json' | 'csv' | 'pdf'): Promise<void> => {
    setError(null);
    try {
      if (format === 'pdf') {
        savePdf(await api.call('procedures.reportPdf', { runId, language }));
      } else {
        const report = await api.call('procedures.report', { runId, format, language });
        saveFile(new Blob([report.content], { type: report.mediaType }), report.fileName);
      }
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <div className="toolbar run__reports" data-testid="run-reports">
      <span>{t('report.export')}</span>
      <a className="button" href={routeHref({ page: 'report', runId })} data-testid="report-open">
        {t('report.printable')}
      </a>
      <button type="button" className="button" data-testid="report-pdf" onClick={() => void download('pdf')}>
        PDF
      </button>
      <button type="button" className="button" data-testid="report-json" onClick={() => void download('json')}>
        JSON
      </button>
      <button type="button" className="button" data-testid="report-csv" onClick={() => void download('csv')}>
        CSV
      </button>
      {error ? <ErrorNotice error={error} testId="report-error" /> : null}
    </div>
  );
}
