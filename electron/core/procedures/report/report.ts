import type {
  AttemptOutcome,
  LocalizedText,
  RunView,
  StepAttempt,
} from '../../../../shared/ipc/contracts/procedureRuns';
import type { LogbookLanguage } from '../../../../shared/domain/logbook';
import { say, sayIn } from '../../../../shared/domain/words';
import { canonicalJson } from '../../history/canonicalJson';
import { csvField, esc, saidHtml } from '../../util/reportText';
import { displayLine } from '../runner/commands';
import { runReportWords, type RunReportWords } from './runReportWords';

export { esc };

/**
 * A run (or a checklist) as a service report: JSON (the whole run as the history holds it), CSV (one row per step
 * attempt, for a spreadsheet) and a printable HTML page, which the faces turn into a PDF (Chromium's print to PDF
 * from the CLI, Electron's printToPDF in the desktop app) through a PdfPrinter. The core itself never prints.
 */

export type ReportFormat = 'json' | 'csv' | 'html';

export type RenderedReport = { format: ReportFormat; mediaType: string; fileName: string; content: string };

export type ReportContext = {
  appVersion: string;
  generatedAt: string;
  /** Attachment bytes by SHA-256, for images embedded in the printed report. */
  blob(sha256: string): Buffer | undefined;
  /**
   * The audit chain's head when the report is made (its last row and that row's keyed hash): printed on every report,
   * so that a later rewrite or cut of the history no longer reaches the head a paper copy shows.
   */
  auditHead: { rows: number; hash: string; keyed: boolean } | null;
  /** The technician's language: the printed report's labels, outcomes and decisions are in it (English unless told). */
  language?: LogbookLanguage;
};

const MAX_EMBEDDED_IMAGE_BYTES = 2 * 1024 * 1024;
const MAX_PRINTED_OUTPUT = 6000;

export function renderReport(view: RunView, format: ReportFormat, context: ReportContext): RenderedReport {
  const base = `ohtw-run-${view.procedure.id}-${view.units.join('_')}-${view.runId.slice(0, 8)}`;
  switch (format) {
    case 'json':
      return {
        format,
        mediaType: 'application/json',
        fileName: `${base}.json`,
        content: jsonReport(view, context),
      };
    case 'csv':
      return {
        format,
        mediaType: 'text/csv; charset=utf-8',
        fileName: `${base}.csv`,
        content: csvReport(view, context.auditHead),
      };
    case 'html':
      return {
        format,
        mediaType: 'text/html; charset=utf-8',
        fileName: `${base}.html`,
        content: htmlReport(view, context),
      };
  }
}

export function jsonReport(view: RunView, context: ReportContext): string {
  const report = {
    format: 'ohtw.procedure-run-report/1',
    generatedAt: context.generatedAt,
    appVersion: context.appVersion,
    auditHead: context.auditHead,
    run: view,
  };
  // Canonical (sorted keys) and then indented, so two exports of the same run are the same file.
  return `${JSON.stringify(JSON.parse(canonicalJson(report)), null, 2)}\n`;
}

const CSV_COLUMNS = [
  'run_id',
  'procedure_id',
  'procedure_version',
  'run_state',
  'signed_by',
  'signed_at',
  'record_sha256',
  'seq',
  'unit',
  'step_id',
  'step_kind',
  'step_title',
  'status',
  'actor',
  'started_at',
  'ended_at',
  'passed',
  'level',
  'message',
  'commands',
  'gates',
  'overrides',
  'choice',
  'items',
  'evidence',
  'audit_head',
] as const;

export function csvReport(view: RunView, auditHead: ReportContext['auditHead']): string {
  const kinds = new Map(view.steps.map((s) => [s.stepId, s]));
  const rows = view.attempts.map((attempt) => {
    const o = attempt.outcome;
    const step = kinds.get(attempt.stepId);
    const values: Record<(typeof CSV_COLUMNS)[number], string> = {
      run_id: view.runId,
      procedure_id: view.procedure.id,
      procedure_version: String(view.procedure.version),
      run_state: runState(view),
      signed_by: view.signature?.signedBy ?? '',
      signed_at: view.signature?.signedAt ?? '',
      record_sha256: view.signature?.recordHash ?? '',
      seq: String(attempt.seq),
      unit: attempt.unit ?? '',
      step_id: attempt.stepId,
      step_kind: step?.kind ?? '',
      step_title: step ? text(step.title) : '',
      status: attempt.status,
      actor: attempt.actor,
      started_at: attempt.startedAt,
      ended_at: attempt.endedAt ?? '',
      passed: o.passed === null ? '' : o.passed ? 'yes' : 'no',
      level: o.level ?? '',
      message: o.message,
      commands: (o.plan?.commands ?? []).map(displayLine).join(' ; '),
      gates: o.gates.map((g) => `${g.gate}@${g.unit}=${g.status} (${g.reading})`).join(' ; '),
      overrides: o.overrides.map((v) => `${v.gate} by ${v.by}: ${v.reason}`).join(' ; '),
      choice: o.choice ?? '',
      items: o.items.map((i) => `${i.id}=${i.answer}${i.note ? ` (${i.note})` : ''}`).join(' ; '),
      evidence: attempt.evidence.map((e) => `${e.kind}:${e.name}:sha256=${e.sha256}`).join(' ; '),
      audit_head: describeHead(auditHead),
    };
    return CSV_COLUMNS.map((c) => csvField(values[c])).join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

function runState(view: RunView, language: LogbookLanguage = 'en'): string {
  switch (view.state) {
    case 'aborted':
      return sayIn(say('runState.abortedBecause', { reason: view.abortReason ?? '' }), language);
    case 'escalated':
      return sayIn(say('runState.escalatedTo', { level: view.escalationLevel ?? '?' }), language);
    default:
      return sayIn(say(view.state === 'running' ? 'runState.running' : 'runState.completed'), language);
  }
}

function text(value: LocalizedText): string {
  return value.en ?? Object.values(value)[0] ?? '';
}

/** The title in the reader's language first, the other language beneath it when it differs. */
function bilingual(value: LocalizedText, language: LogbookLanguage): string {
  const own = value[language] ?? value.en ?? '';
  const other = (language === 'vi' ? value.en : value.vi) ?? '';
  const lang = language === 'vi' ? 'en' : 'vi';
  return other && other !== own ? `${esc(own)}<br><span class="other" lang="${lang}">${esc(other)}</span>` : esc(own);
}

function printedOutput(output: string, words: RunReportWords): string {
  return output.length <= MAX_PRINTED_OUTPUT
    ? output
    : `${output.slice(0, MAX_PRINTED_OUTPUT)}\n${words.label('moreCharacters', { count: output.length - MAX_PRINTED_OUTPUT })}`;
}

function attemptHtml(attempt: StepAttempt, context: ReportContext, words: RunReportWords): string {
  const o: AttemptOutcome = attempt.outcome;
  const language = context.language ?? 'en';
  const parts: string[] = [];
  parts.push(
    `<div class="meta">${esc(words.status(attempt.status))}${attempt.unit ? ` · ${esc(attempt.unit)}` : ''} · ${esc(attempt.actor)} · ${esc(attempt.startedAt)}${attempt.endedAt ? ` → ${esc(attempt.endedAt)}` : ''}</div>`,
  );
  if (o.message) {
    parts.push(`<p>${saidHtml(o, language)}</p>`);
  }
  if (o.plan && o.plan.commands.length > 0) {
    parts.push(
      `<div class="plan">${o.plan.commands.map((c) => `<code>${esc(displayLine(c))}</code>`).join('<br>')}</div>`,
    );
  }
  if (o.gates.length > 0) {
    parts.push(
      `<ul class="gates">${o.gates
        .map(
          (g) =>
            `<li class="${g.status}"><b>${esc(g.gate)}</b> ${words.label(g.status)} — ${saidHtml({ message: g.reading, say: g.say }, language)} <span class="meta">${esc(g.at)}</span></li>`,
        )
        .join('')}</ul>`,
    );
  }
  for (const override of o.overrides) {
    parts.push(
      `<p class="override">${esc(words.label('override', { gate: override.gate, by: override.by, reason: override.reason }))}</p>`,
    );
  }
  if (o.items.length > 0) {
    parts.push(
      `<table class="items">${o.items
        .map(
          (i) =>
            `<tr><td>${i.answer === 'done' ? '☑' : i.answer === 'n/a' ? '–' : '☐'}</td><td>${esc(i.id)}</td><td>${esc(i.answer)}</td><td>${esc(i.note ?? '')}</td></tr>`,
        )
        .join('')}</table>`,
    );
  }
  if (o.output) {
    parts.push(`<pre>${esc(printedOutput(o.output, words))}</pre>`);
  }
  for (const item of attempt.evidence) {
    const line = `${esc(item.kind)} “${esc(item.name)}” (${item.size} ${words.label('bytes')}) SHA-256 <code>${item.sha256}</code>`;
    const bytes =
      item.kind === 'attachment' && item.mediaType.startsWith('image/') ? context.blob(item.sha256) : undefined;
    const image =
      bytes && bytes.length <= MAX_EMBEDDED_IMAGE_BYTES && /^image\/(png|jpeg|gif|webp)$/.test(item.mediaType)
        ? `<br><img alt="${esc(item.name)}" src="data:${item.mediaType};base64,${bytes.toString('base64')}">`
        : '';
    const note = item.kind === 'note' && item.text ? `<blockquote>${esc(item.text)}</blockquote>` : '';
    parts.push(`<div class="evidence">${line}${note}${image}</div>`);
  }
  return `<div class="attempt">${parts.join('')}</div>`;
}

export function htmlReport(view: RunView, context: ReportContext): string {
  const language = context.language ?? 'en';
  const words = runReportWords(language);
  const { label } = words;
  const steps = view.steps
    .map((step) => {
      const attempts = view.attempts.filter((a) => a.stepId === step.stepId);
      return `<section class="step"><h3>${bilingual(step.title, language)} <span class="status ${step.status}">${esc(words.status(step.status))}</span></h3>${
        attempts.length === 0
          ? `<p class="meta">${esc(label('notReached'))}</p>`
          : attempts.map((a) => attemptHtml(a, context, words)).join('')
      }</section>`;
    })
    .join('\n');
  const signature = view.signature
    ? `<div class="signature">${esc(label('signedBy'))} <b>${esc(view.signature.signedBy)}</b> ${esc(label('at'))} ${esc(view.signature.signedAt)}<br>${esc(label('recordHash'))} <code>${esc(view.signature.recordHash)}</code>${view.signature.auditSeq === null ? '' : ` · ${esc(label('auditRow'))} ${view.signature.auditSeq}`}</div>`
    : `<div class="signature unsigned">${esc(label('notSigned'))}</div>`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(view.procedure.title[language] ?? text(view.procedure.title))} — ${esc(view.units.join(', '))}</title>
<style>
  @page { size: A4; margin: 14mm; }
  body { font: 10pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; }
  h1 { font-size: 15pt; margin: 0 0 4px; } h3 { font-size: 11pt; margin: 10px 0 4px; }
  .other { color: #555; font-weight: normal; font-size: 9pt; }
  table.head td { padding: 1px 10px 1px 0; vertical-align: top; }
  .step { border-top: 1px solid #bbb; page-break-inside: avoid; }
  .attempt { margin: 4px 0 8px 12px; }
  .meta { color: #666; font-size: 8.5pt; }
  .status { font-size: 8.5pt; border: 1px solid #999; border-radius: 3px; padding: 0 4px; font-weight: normal; }
  .status.done { border-color: #2a7; color: #174; } .status.failed, .status.blocked { border-color: #c33; color: #a11; }
  .status.interrupted { border-color: #c80; color: #960; }
  ul.gates { margin: 2px 0; padding-left: 16px; } .gates .green { color: #174; } .gates .red { color: #a11; }
  .override { color: #a60; }
  pre { background: #f4f4f4; padding: 4px 6px; font-size: 8pt; white-space: pre-wrap; word-break: break-all; }
  code { font-size: 8.5pt; } img { max-width: 90mm; max-height: 70mm; margin-top: 4px; }
  .signature { margin-top: 14px; padding: 8px; border: 1px solid #333; } .unsigned { color: #a60; }
  blockquote { margin: 2px 0 2px 10px; font-style: italic; }
</style>
</head>
<body>
<h1>${bilingual(view.procedure.title, language)}</h1>
<table class="head">
<tr><td>${esc(label('unit'))}</td><td><b>${esc(view.units.join(', '))}</b></td><td>${esc(label('run'))}</td><td><code>${esc(view.runId)}</code></td></tr>
<tr><td>${esc(label('procedure'))}</td><td>${esc(view.procedure.id)} v${view.procedure.version} (${esc(view.procedure.category)})<br><span lang="en">${esc(describeOrigin(view.procedure.origin))}</span></td><td>${esc(label('state'))}</td><td><b>${esc(runState(view, language))}</b></td></tr>
<tr><td>${esc(label('started'))}</td><td>${esc(view.startedAt)} ${esc(label('by'))} ${esc(view.startedBy)}</td><td>${esc(label('ended'))}</td><td>${esc(view.endedAt ?? '—')}${view.endedBy ? ` ${esc(label('by'))} ${esc(view.endedBy)}` : ''}</td></tr>
${
  Object.keys(view.params).length > 0
    ? `<tr><td>${esc(label('parameters'))}</td><td colspan="3">${Object.entries(view.params)
        .map(([k, v]) => `${esc(k)} = <code>${esc(v)}</code>`)
        .join(', ')}</td></tr>`
    : ''
}
</table>
${steps}
${signature}
<p class="meta">OHT-50 Workstation ${esc(context.appVersion)} · ${esc(label('generated'))} ${esc(context.generatedAt)}</p>
<p class="meta" data-audit-head>${esc(label('auditHead'))}: <code>${esc(describeHead(context.auditHead))}</code></p>
</body>
</html>
`;
}

/** "row 42 HMAC-SHA-256 1f…": the head a later `ohtw audit verify` must still reach. */
export function describeHead(head: ReportContext['auditHead']): string {
  if (head === null) {
    return 'the audit log is empty';
  }
  return `row ${head.rows} ${head.keyed ? 'HMAC-SHA-256' : 'SHA-256 (not keyed yet)'} ${head.hash}`;
}

/** Which file the run followed, as the report says it. */
export function describeOrigin(origin: RunView['procedure']['origin']): string {
  if (origin === null) {
    return 'file not recorded';
  }
  if (origin.source === 'shipped') {
    return `shipped file ${origin.file}`;
  }
  return origin.supersedesShipped === null
    ? `the technician's file ${origin.file}`
    : `the technician's file ${origin.file}, in place of the shipped v${origin.supersedesShipped}`;
}
