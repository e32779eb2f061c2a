import { useCallback, useState } from 'react';

import type { UnitRecord } from '../../../shared/domain/fleetReports';
import { describeEntry } from '../../../shared/domain/logbookKinds';
import { bytes } from '../../../shared/domain/logbookWords';
import { unitCharts } from '../../../shared/domain/reportCharts';
import { RunStateSchema, type RunState } from '../../../shared/ipc/contracts/procedureRuns';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { SaidText } from '../../components/SaidText';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { ChartView } from './ChartView';
import { ReportDownloads } from './ReportDownloads';

/** A unit's service record on one page, and as the printable report the customer gets. */
export function ServiceRecordPage({ name }: { name: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [since, setSince] = useState('');
  const load = useCallback(
    () => api.call('reports.unit', { name, ...(since === '' ? {} : { since }) }),
    [api, name, since],
  );
  const record = useCallResult(load);
  const request = { report: 'unit' as const, name, ...(since === '' ? {} : { since }) };
  return (
    <section className="page" data-testid="service-record-page">
      <header className="page__head">
        <h1 className="page__title">{t('record.title', { unit: name })}</h1>
        <a className="button" href={routeHref({ page: 'unit', name })} data-testid="back-link">
          ← {name}
        </a>
      </header>
      <div className="toolbar">
        <label>
          {t('record.since')}{' '}
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} data-testid="record-since" />
        </label>
        <ReportDownloads request={request} testId="record-download" />
      </div>
      {record.error ? <ErrorNotice error={record.error} testId="record-error" onRetry={record.reload} /> : null}
      {record.value ? <RecordBody record={record.value} /> : <p className="muted">{t('record.loading')}</p>}
    </section>
  );
}

function RecordBody({ record }: { record: UnitRecord }) {
  return (
    <div className="stack" data-testid="record-body">
      <IdentitySection record={record} />
      <HealthSection record={record} />
      <BackupsSection record={record} />
      <ProceduresSection record={record} />
      <RestoresSection record={record} />
      <WritesSection record={record} />
      <IncidentsSection record={record} />
      <ChainSection record={record} />
    </div>
  );
}

function IdentitySection({ record }: { record: UnitRecord }) {
  const { t } = useI18n();
  return (
    <section className="panel">
      <h2 className="section-title">{t('record.identity')}</h2>
      {record.identity ? (
        <table className="report__table">
          <tbody>
            <tr>
              <th>{t('record.host')}</th>
              <td>{`${record.identity.host}:${record.identity.port}`}</td>
            </tr>
            <tr>
              <th>{t('record.user')}</th>
              <td>{record.identity.user}</td>
            </tr>
            <tr>
              <th>{t('record.hostKey')}</th>
              <td>{record.identity.hostKey?.fingerprint ?? t('record.notTrusted')}</td>
            </tr>
            <tr>
              <th>{t('record.profile')}</th>
              <td>{`${record.identity.profile.backendService}, ${record.identity.profile.firmwareService} :${record.identity.profile.firmwarePort}`}</td>
            </tr>
            <tr>
              <th>{t('record.firmware')}</th>
              <td data-testid="record-firmware">{record.firmwareVersion?.version ?? '—'}</td>
            </tr>
          </tbody>
        </table>
      ) : (
        <p className="report__bad">{t('record.removed')}</p>
      )}
    </section>
  );
}

function HealthSection({ record }: { record: UnitRecord }) {
  const { t } = useI18n();
  return (
    <section className="panel" data-testid="record-health">
      <h2 className="section-title">{t('record.health')}</h2>
      {record.health ? (
        <>
          <p>
            <LevelChip level={record.health.level} /> <Time iso={record.health.at} />
          </p>
          {record.health.findings.length === 0 ? (
            <p className="muted">{t('record.noFindings')}</p>
          ) : (
            <ul>
              {record.health.findings.map((f) => (
                <li key={f.checkId}>
                  <LevelChip level={f.level} /> <b>{f.checkId}</b>: <SaidText check={f} />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="muted">{t('record.never')}</p>
      )}
    </section>
  );
}

function BackupsSection({ record }: { record: UnitRecord }) {
  const { t, time } = useI18n();
  const verified = record.lastVerifiedBackup;
  return (
    <section className="panel" data-testid="record-backups">
      <h2 className="section-title">{t('record.backups')}</h2>
      <p>
        {t('record.lastBackup')}:{' '}
        {record.lastBackup
          ? `${time(record.lastBackup.createdAt)} · ${record.lastBackup.backupId} · ${bytes(record.lastBackup.bytes)}`
          : t('record.none')}
      </p>
      <p data-testid="record-last-verified">
        {t('record.lastVerified')}:{' '}
        {verified ? (
          `${time(verified.createdAt)} · ${verified.backupId} · ${t('record.verifiedBy', { at: time(verified.verifiedAt), by: verified.verifiedBy, files: verified.checkedFiles })}`
        ) : (
          <span className="report__bad">{t('record.none')}</span>
        )}
      </p>
    </section>
  );
}

function ProceduresSection({ record }: { record: UnitRecord }) {
  const { t, language, time } = useI18n();
  return (
    <section className="panel" data-testid="record-procedures">
      <h2 className="section-title">{t('record.procedures')}</h2>
      {record.procedures.length === 0 ? <p className="muted">{t('record.noProcedures')}</p> : null}
      <ul>
        {record.procedures.map((p) => (
          <li key={p.runId}>
            <a href={routeHref({ page: 'report', runId: p.runId })}>{language === 'vi' ? p.titleVi : p.titleEn}</a> —{' '}
            {isRunState(p.state) ? t(`run.state.${p.state}`) : p.state}
            {p.escalationLevel === null ? '' : ` (${p.escalationLevel})`} · {time(p.startedAt)} ·{' '}
            {p.signedBy ? t('record.signedBy', { name: p.signedBy }) : t('record.unsigned')}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RestoresSection({ record }: { record: UnitRecord }) {
  const { t, time } = useI18n();
  return (
    <section className="panel">
      <h2 className="section-title">{t('record.restores')}</h2>
      {record.restores.length === 0 ? <p className="muted">{t('record.noRestores')}</p> : null}
      <ul>
        {record.restores.map((r) => (
          <li key={r.transactionId}>
            {time(r.startedAt)} · {r.backupId} · {r.result ?? '—'} {r.reason ?? ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function WritesSection({ record }: { record: UnitRecord }) {
  const { t, language, time } = useI18n();
  return (
    <section className="panel">
      <h2 className="section-title">{t('record.writes')}</h2>
      {record.registerWrites.length === 0 ? <p className="muted">{t('record.noWrites')}</p> : null}
      <ul>
        {record.registerWrites.map((e) => (
          <li key={e.id}>
            {time(e.at)} · {describeEntry(e, language)} · {e.actor ? actorText(e.actor, t) : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function IncidentsSection({ record }: { record: UnitRecord }) {
  const { t, language } = useI18n();
  return (
    <section className="panel" data-testid="record-incidents">
      <h2 className="section-title">
        {t('record.incidents', { estop: record.incidents.estop, crashes: record.incidents.crashes })}
      </h2>
      {unitCharts(record, language).map((spec) => (
        <ChartView key={spec.id} spec={spec} />
      ))}
    </section>
  );
}

function ChainSection({ record }: { record: UnitRecord }) {
  const { t } = useI18n();
  return (
    <section className="panel" data-testid="record-chain">
      <h2 className="section-title">{t('record.chain')}</h2>
      {record.chain.seq === null ? (
        <p className="muted">{t('record.chainEmpty')}</p>
      ) : (
        <>
          <p>
            {t('record.chainHead', { seq: record.chain.seq, hash: record.chain.hash ?? '' })}
            {record.chain.unitSeq === null ? '' : ` · ${t('record.chainUnit', { seq: record.chain.unitSeq })}`}
          </p>
          <p className={record.chain.intact ? '' : 'report__bad'}>
            {record.chain.intact
              ? t('record.intact', { checked: record.chain.checked })
              : t('record.broken', {
                  seq: record.chain.firstBroken?.seq ?? '?',
                  reason: record.chain.firstBroken?.reason ?? '',
                })}
          </p>
        </>
      )}
    </section>
  );
}

function isRunState(state: string): state is RunState {
  return RunStateSchema.safeParse(state).success;
}
