import { useEffect, useState } from 'react';

import type { DiagnosisReport } from '../../../shared/domain/health';
import { useApi } from '../../platform/ApiProvider';

/** The bus's offline diagnosis: the latest one run anywhere, until a new one is run here. */
export function useBusDiagnosis(busId: string, unit: string | undefined) {
  const api = useApi();
  const [report, setReport] = useState<DiagnosisReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isRunning, setRunning] = useState(false);

  // The bus's latest diagnosis, wherever it was run (this page earlier, the CLI, the demo), until a new one is.
  useEffect(() => {
    let isCurrent = true;
    api.call('rs485.lastDiagnosis', { busId }).then(
      (last) => {
        if (isCurrent && last) {
          setReport((shown) => shown ?? last);
        }
      },
      (caught: unknown) => {
        if (isCurrent) {
          setError(caught);
        }
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, busId]);

  const diagnose = async (): Promise<void> => {
    setRunning(true);
    setError(null);
    try {
      setReport(await api.call('rs485.diagnose', { busId, ...(unit ? { unit } : {}) }));
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  };

  return { report, error, isRunning, diagnose };
}
