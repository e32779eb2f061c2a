import {
  describeCommand,
  END_OF_PROCEDURE,
  exitCodes,
  type CommandExpect,
  type Gate,
  type Language,
  type LocalizedText,
  type Procedure,
  type ProcedureStep,
} from '../../../shared/domain/procedure';

/**
 * A procedure as a technician reads it on a terminal: each step numbered, with what it runs (commands exactly as
 * they will be sent, references in braces), what it expects, its gates, and where it goes next.
 */
export function describeProcedure(
  procedure: Procedure,
  options: { language: Language; source?: string | undefined },
): string {
  const t = (text: LocalizedText): string => text[options.language];
  const numberOf = new Map(procedure.steps.map((step, i) => [step.id, i + 1]));
  const target = (id: string): string => (id === END_OF_PROCEDURE ? 'end' : `${numberOf.get(id) ?? '?'} (${id})`);
  const lines: string[] = [];
  const source = options.source ? `, ${options.source}` : '';
  lines.push(`${procedure.id} v${procedure.version} (${procedure.category}${source})`);
  lines.push(t(procedure.title));
  lines.push(t(procedure.summary));
  lines.push(`Runbook: ${procedure.runbook}`);
  if (procedure.handlesChecks.length > 0) {
    lines.push(`Handles: ${procedure.handlesChecks.join(', ')}`);
  }
  if (procedure.revision) {
    const note = procedure.revision.note ? `: ${procedure.revision.note}` : '';
    lines.push(`Edited by ${procedure.revision.by} at ${procedure.revision.at}${note}`);
  }
  if (procedure.parameters.length > 0) {
    lines.push('Parameters:');
    for (const p of procedure.parameters) {
      const extra = [p.required ? 'required' : 'optional', p.default === undefined ? '' : `default ${p.default}`]
        .filter((s) => s !== '')
        .join(', ');
      lines.push(`  <${p.name}> ${t(p.label)} (${p.type}, ${extra})`);
    }
  }
  lines.push('');
  procedure.steps.forEach((step, i) => {
    lines.push(`${String(i + 1).padStart(2)}. [${step.kind}] ${t(step.title)} (${step.id})`);
    const body = stepLines(step, t, target).map((line) => `    ${line}`);
    lines.push(...body);
    if (step.next !== undefined) {
      lines.push(`    ${step.kind === 'check' ? 'if it passes' : 'then'} → ${target(step.next)}`);
    }
  });
  return lines.join('\n');
}

function stepLines(step: ProcedureStep, t: (text: LocalizedText) => string, target: (id: string) => string): string[] {
  const lines: string[] = [];
  if (step.detail) {
    lines.push(t(step.detail));
  }
  switch (step.kind) {
    case 'info':
      break;
    case 'check':
      if ('checkId' in step) {
        lines.push(
          `diagnostic check ${step.checkId}, expects ${step.expect}${step.expect === 'OK' ? '' : ' or better'}`,
        );
      } else {
        lines.push(`$ ${describeCommand(step.command)}`);
        lines.push(`expects ${describeExpect(step.expect)}`);
      }
      if (step.onFail !== undefined) {
        lines.push(`if not → ${target(step.onFail)}`);
      }
      break;
    case 'action': {
      if ('operation' in step) {
        const params = Object.entries(step.params)
          .map(([k, v]) => `${k}=${typeof v === 'object' ? `<${v.param}>` : String(v)}`)
          .join(' ');
        lines.push(`operation ${step.operation}${params ? ` ${params}` : ''}`);
      } else {
        lines.push(`$ ${describeCommand(step.command)}`);
      }
      const what = step.mutating ? 'changes the vehicle' : 'reads only';
      lines.push(step.destructive ? `${what}; destructive: type the unit's name to confirm` : what);
      if (step.gates.length > 0) {
        lines.push(`gates: ${step.gates.map(describeGate).join(', ')}`);
      }
      break;
    }
    case 'manual':
      lines.push(`confirm: ${t(step.confirm ?? step.title)}`);
      lines.push(`note ${step.note}, attachment ${step.attachment}`);
      break;
    case 'decision':
      lines.push(t(step.question));
      for (const option of step.options) {
        lines.push(`- ${t(option.label)} → ${target(option.next)}`);
      }
      break;
    case 'checklist':
      for (const item of step.items) {
        lines.push(`[ ] ${t(item.text)}${item.required ? '' : ' (optional)'}`);
      }
      break;
    case 'escalate':
      lines.push(`level ${step.level}${step.reason ? `: ${t(step.reason)}` : ''}`);
      break;
  }
  return lines;
}

function describeGate(gate: Gate): string {
  return gate.overridable ? `${gate.gate} (overridable)` : gate.gate;
}

function describeExpect(expect: CommandExpect): string {
  const parts: string[] = [];
  if (expect.exitCode !== undefined) {
    parts.push(`exit ${exitCodes([expect.exitCode].flat())}`);
  }
  if (expect.stdoutMatches !== undefined) {
    parts.push(`output matching /${expect.stdoutMatches}/`);
  }
  if (expect.stdoutLacks !== undefined) {
    parts.push(`output without /${expect.stdoutLacks}/`);
  }
  return parts.length === 0 ? 'exit 0' : parts.join(', ');
}
