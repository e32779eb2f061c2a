import type { UnitRecord } from '../../../../shared/domain/fleetReports';
import type { LogbookLanguage } from '../../../../shared/domain/logbook';
import { describeEntry } from '../../../../shared/domain/logbookKinds';
import { bytes } from '../../../../shared/domain/logbookWords';
import { checkMessage } from '../../../../shared/domain/words';
import { esc, saidHtml } from '../../util/reportText';
import { chartBlock, type DrawnChart, levelCell, reportPage, table, when } from './reportPage';
import { reportWords, type Say } from './reportWords';

type Context = { say: Say; t: (iso: string | null) => string; language: LogbookLanguage };

/** A unit's service record as a printable page; `charts` are the drawn unitCharts, in their order. */
export function unitRecordHtml(
  record: UnitRecord,
  language: LogbookLanguage,
  charts: readonly DrawnChart[],
  appVersion: string,
): string {
  const say = reportWords(language);
  const t = (iso: string | null) => when(iso, language);
  const context: Context = { say, t, language };
  const identity = identityHtml(record, context);
  const health = healthHtml(record, context);
  const backups = backupsHtml(record, context);
  const procedures = proceduresHtml(record, context);
  const restores = restoresHtml(record, context);
  const writes = writesHtml(record, context);
  const incidents = incidentsHtml(record, context);
  const chain = chainHtml(record, context);
  const body = [
    record.since ? `<p class="meta">${esc(say('since', { since: t(record.since) }))}</p>` : '',
    `<section><h2>${esc(say('identity'))}</h2>${identity}</section>`,
    `<section><h2>${esc(say('health'))}</h2>${health}</section>`,
    `<section><h2>${esc(say('backups'))}</h2>${backups}</section>`,
    `<section><h2>${esc(say('procedures'))}</h2>${procedures}</section>`,
    `<section><h2>${esc(say('restores'))}</h2>${restores}</section>`,
    `<section><h2>${esc(say('writes'))}</h2>${writes}</section>`,
    `<section><h2>${esc(say('incidents'))}</h2>${charts.map((c) => chartBlock(c.title, c.markup)).join('')}${incidents}</section>`,
    `<section><h2>${esc(say('chain'))}</h2>${chain}</section>`,
  ].join('\n');
  return reportPage({
    language,
    title: say('unitTitle', { unit: record.unit }),
    body,
    footer: say('footer', { version: appVersion, at: t(record.generatedAt) }),
  });
}

function identityHtml(record: UnitRecord, { say, t }: Context): string {
  return record.identity
    ? table(
        [say('host'), say('user'), say('hostKey'), say('profile'), say('firmware'), say('added')],
        [
          [
            esc(`${record.identity.host}:${record.identity.port}`),
            esc(record.identity.user),
            record.identity.hostKey
              ? `<code>${esc(record.identity.hostKey.fingerprint)}</code>`
              : esc(say('notTrusted')),
            esc(
              `${record.identity.profile.backendService}, ${record.identity.profile.firmwareService} :${record.identity.profile.firmwarePort}, ${record.identity.profile.installDir}`,
            ),
            record.firmwareVersion
              ? `${esc(record.firmwareVersion.version)} <span class="meta">${t(record.firmwareVersion.seenAt)}</span>`
              : '—',
            t(record.identity.addedAt),
          ],
        ],
        '',
      )
    : `<p class="bad">${esc(say('removed'))}</p>`;
}

function healthHtml(record: UnitRecord, { say, t, language }: Context): string {
  return record.health
    ? `<p>${levelCell(record.health.level)} · ${t(record.health.at)} · <code>${esc(record.health.runId)}</code></p>${table(
        [say('check'), say('level'), say('message'), say('runbook')],
        record.health.findings.map((f) => [
          esc(f.checkId),
          levelCell(f.level),
          saidHtml(f, language),
          esc(f.runbook ?? ''),
        ]),
        say('noFindings'),
      )}`
    : `<p class="meta">${esc(say('never'))}</p>`;
}

function backupsHtml(record: UnitRecord, { say, t }: Context): string {
  const verified = record.lastVerifiedBackup;
  return table(
    ['', say('time'), say('backup'), ''],
    [
      [
        esc(say('lastBackup')),
        record.lastBackup ? t(record.lastBackup.createdAt) : esc(say('none')),
        record.lastBackup ? `<code class="id">${esc(record.lastBackup.backupId)}</code>` : '',
        record.lastBackup ? esc(`${record.lastBackup.files} · ${bytes(record.lastBackup.bytes)}`) : '',
      ],
      [
        esc(say('lastVerified')),
        verified ? t(verified.createdAt) : `<span class="bad">${esc(say('none'))}</span>`,
        verified ? `<code class="id">${esc(verified.backupId)}</code>` : '',
        verified
          ? esc(
              say('verifiedBy', { at: t(verified.verifiedAt), by: verified.verifiedBy, files: verified.checkedFiles }),
            )
          : '',
      ],
    ],
    '',
  );
}

function proceduresHtml(record: UnitRecord, { say, t, language }: Context): string {
  return table(
    [say('procedure'), say('state'), say('started'), say('signed')],
    record.procedures.map((p) => [
      `${esc(language === 'vi' ? p.titleVi : p.titleEn)} <span class="meta">${esc(p.procedureId)}</span>`,
      esc(p.state + (p.escalationLevel === null ? '' : ` (${p.escalationLevel})`)),
      `${t(p.startedAt)} · ${esc(p.startedBy)}`,
      p.signedBy
        ? `${esc(p.signedBy)} · ${t(p.signedAt)}<br><code>${esc(p.recordHash ?? '')}</code>`
        : esc(say('unsigned')),
    ]),
    say('noProcedures'),
  );
}

function restoresHtml(record: UnitRecord, { say, t }: Context): string {
  return table(
    [say('started'), say('backup'), say('result')],
    record.restores.map((r) => [
      `${t(r.startedAt)} · ${esc(r.startedBy)}`,
      `<code>${esc(r.backupId)}</code>`,
      esc(`${r.result ?? '—'}${r.reason ? `: ${r.reason}` : ''}`),
    ]),
    say('noRestores'),
  );
}

function writesHtml(record: UnitRecord, { say, t, language }: Context): string {
  return table(
    [say('time'), say('what'), say('by')],
    record.registerWrites.map((e) => [t(e.at), esc(describeEntry(e, language)), esc(e.actor ?? '')]),
    say('noWrites'),
  );
}

function incidentsHtml(record: UnitRecord, { say }: Context): string {
  return table(
    [say('month'), say('estop'), say('crashes')],
    record.incidents.months.map((m) => [esc(m.month), String(m.estop), String(m.crashes)]),
    say('noIncidents'),
  );
}

function chainHtml(record: UnitRecord, { say, t }: Context): string {
  return record.chain.seq === null
    ? `<p class="meta">${esc(say('chainEmpty'))}</p>`
    : `<p>${esc(say('chainHead', { seq: record.chain.seq, hash: record.chain.hash ?? '', at: t(record.chain.at) }))}<br>${
        record.chain.unitSeq === null ? '' : esc(say('chainUnit', { seq: record.chain.unitSeq }))
      }<br>${
        record.chain.intact
          ? `<span class="good">${esc(say('intact', { checked: record.chain.checked }))}</span>`
          : `<span class="bad">${esc(say('broken', { seq: record.chain.firstBroken?.seq ?? '?', reason: record.chain.firstBroken?.reason ?? '' }))}</span>`
      }</p>`;
}

/** The record as CSV rows of section, item and value, for a spreadsheet. */
export function unitRecordCsv(record: UnitRecord, language: LogbookLanguage): string[][] {
  const rows: string[][] = [['section', 'item', 'value', 'time', 'by']];
  const add = (section: string, item: string, value: string, time = '', by = '') =>
    rows.push([section, item, value, time, by]);
  if (record.identity) {
    add('identity', 'host', `${record.identity.host}:${record.identity.port}`);
    add('identity', 'user', record.identity.user);
    add('identity', 'host_key', record.identity.hostKey?.fingerprint ?? '');
  }
  add('identity', 'firmware_version', record.firmwareVersion?.version ?? '', record.firmwareVersion?.seenAt ?? '');
  add('health', 'level', record.health?.level ?? '', record.health?.at ?? '');
  for (const finding of record.health?.findings ?? []) {
    add('open_finding', finding.checkId, `${finding.level}: ${checkMessage(finding, language)}`);
  }
  add('backup', 'last', record.lastBackup?.backupId ?? '', record.lastBackup?.createdAt ?? '');
  add(
    'backup',
    'last_verified',
    record.lastVerifiedBackup?.backupId ?? '',
    record.lastVerifiedBackup?.createdAt ?? '',
    record.lastVerifiedBackup?.verifiedBy ?? '',
  );
  for (const run of record.procedures) {
    add(
      'procedure',
      run.procedureId,
      `${run.state}${run.signedBy ? `; signed by ${run.signedBy}` : ''}`,
      run.startedAt,
      run.startedBy,
    );
  }
  for (const restore of record.restores) {
    add(
      'restore',
      restore.backupId,
      `${restore.result ?? ''} ${restore.reason ?? ''}`.trim(),
      restore.startedAt,
      restore.startedBy,
    );
  }
  for (const write of record.registerWrites) {
    add('register_write', write.code, describeEntry(write, language), write.at, write.actor ?? '');
  }
  for (const month of record.incidents.months) {
    add('incidents', month.month, `estop=${month.estop}; crashes=${month.crashes}`);
  }
  add('audit_chain', 'head', `${record.chain.seq ?? ''} ${record.chain.hash ?? ''}`.trim(), record.chain.at ?? '');
  add('audit_chain', 'intact', record.chain.intact ? 'yes' : `no: ${record.chain.firstBroken?.reason ?? ''}`);
  return rows;
}
