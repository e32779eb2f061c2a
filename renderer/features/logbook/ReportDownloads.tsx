import { useState } from 'react';

import type { ReportRequest } from '../../../shared/domain/fleetReports';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { saveFile, savePdf } from '../../platform/saveFile';

/** The report as a PDF (printed by the workstation's browser engine), a printable page, CSV or JSON. */
export function ReportDownloads({ request, testId }: { request: ReportRequest; testId: string }) {
  const { t, language } = useI18n();
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async (format: 'pdf' | 'html' | 'csv' | 'json') => {
    setError(null);
    setBusy(true);
    try {
      if (format === 'pdf') {
        savePdf(await api.call('reports.pdf', { request, language }));
      } else {
        const file = await api.call('reports.render', { request, format, language });
        saveFile(new Blob([file.content], { type: file.mediaType }), file.fileName);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="toolbar" data-testid={testId}>
      <span>{t('report.download')}</span>
      {(['pdf', 'html', 'csv', 'json'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void download(format)}
          data-testid={`${testId}-${format}`}
        >
          {format.toUpperCase()}
        </button>
      ))}
      {error ? <ErrorNotice error={error} testId={`${testId}-error`} /> : null}
    </div>
  );
}
