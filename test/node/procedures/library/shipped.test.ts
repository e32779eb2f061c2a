import { describe, expect, it } from 'vitest';

import {
  OPERATIONS,
  type ActionStep,
  type LocalizedText,
  type Procedure,
  type ProcedureStep,
} from '../../../../shared/domain/procedure';
import { CHECK_MODULES } from '../../../../electron/core/diagnostics/modules';
import { RUNBOOK } from '../../../../electron/core/diagnostics/runbook';
import {
  loadProcedureCatalog,
  sameRunbookSection,
  shippedProceduresDir,
} from '../../../../electron/core/procedures/library/ProcedureLibrary';
import { RESOURCES_DIR } from '../../../support/appLayout';

async function shipped(): Promise<Procedure[]> {
  const catalog = await loadProcedureCatalog({ shippedDir: shippedProceduresDir(RESOURCES_DIR) });
  expect(catalog.invalid).toEqual([]);
  return [...catalog.byId.values()].flatMap((versions) => [...versions.values()].map((e) => e.procedure));
}

const CHECK_IDS = new Set(CHECK_MODULES.flatMap((m) => m.checkIds));

/** Every runbook section the issue asks for, as the procedures name them. */
const RUNBOOK_SECTIONS = [
  'Emergency › 1. System Down – Emergency Response',
  'Emergency › 2. E-Stop Triggered – Safety Response',
  'Emergency › 3. Communication Failure – Network Issues',
  'Routine Maintenance › 1. Daily Health Checks',
  'Routine Maintenance › 2. Weekly Maintenance',
  'Routine Maintenance › 3. Monthly Maintenance',
  "Troubleshooting › 1. Service Won't Start",
  'Troubleshooting › 2. API Endpoints Not Responding',
  'Troubleshooting › 3. Database Connection Issues',
  'Troubleshooting › 4. Memory/CPU Issues',
  'Monitoring & Alerts › 1. Key Metrics to Monitor',
  'Monitoring & Alerts › 2. Alert Thresholds',
  'Monitoring & Alerts › 3. Alert Actions › High CPU Usage',
  'Monitoring & Alerts › 3. Alert Actions › High Memory Usage',
  'Monitoring & Alerts › 3. Alert Actions › High Disk Usage',
  'Monitoring & Alerts › 3. Alert Actions › High Error Rate',
  'Security Incidents › 1. Unauthorized Access',
  'Security Incidents › 2. Data Breach',
  'Recovery › 1. Service Recovery',
  'Recovery › 2. Data Recovery',
  'Recovery › 3. System Recovery',
  'Escalation Matrix',
  'Checklists › Pre-Deployment Checklist',
  'Checklists › Post-Deployment Checklist',
  'Checklists › Incident Response Checklist',
];

function texts(step: ProcedureStep): LocalizedText[] {
  const out: LocalizedText[] = [step.title, ...(step.detail ? [step.detail] : [])];
  if (step.kind === 'decision') {
    out.push(step.question, ...step.options.map((o) => o.label));
  }
  if (step.kind === 'checklist') {
    out.push(...step.items.map((i) => i.text));
  }
  if (step.kind === 'manual' && step.confirm) {
    out.push(step.confirm);
  }
  if (step.kind === 'escalate' && step.reason) {
    out.push(step.reason);
  }
  return out;
}

function gatesOf(step: ActionStep): string[] {
  return step.gates.map((g) => g.gate);
}

describe('the shipped procedures', () => {
  it('all load, one file per runbook section, each at version 1', async () => {
    const procedures = await shipped();
    expect(procedures.map((p) => p.runbook).sort()).toEqual([...RUNBOOK_SECTIONS].sort());
    expect(procedures.every((p) => p.version === 1)).toBe(true);
    const byCategory = (c: string) => procedures.filter((p) => p.category === c).length;
    expect({
      emergency: byCategory('emergency'),
      routine: byCategory('routine'),
      troubleshooting: byCategory('troubleshooting'),
      security: byCategory('security'),
      recovery: byCategory('recovery'),
      escalation: byCategory('escalation'),
      checklist: byCategory('checklist'),
    }).toEqual({ emergency: 3, routine: 3, troubleshooting: 4, security: 2, recovery: 3, escalation: 1, checklist: 3 });
  });

  it('name only check ids the diagnosis reports, in their check steps and in handlesChecks', async () => {
    for (const procedure of await shipped()) {
      for (const step of procedure.steps) {
        if (step.kind === 'check' && 'checkId' in step) {
          expect(CHECK_IDS, `${procedure.id} ${step.id}`).toContain(step.checkId);
        }
      }
      for (const pattern of procedure.handlesChecks) {
        const known = [...CHECK_IDS].some((id) => id === pattern || pattern.startsWith(`${id}.`));
        expect(known, `${procedure.id} handles ${pattern}`).toBe(true);
      }
    }
  });

  it('gate every mutating step, E-Stop resets on the released pin, service changes on a stopped vehicle, the bus on a stopped firmware', async () => {
    let estopResets = 0;
    let serviceChanges = 0;
    let busScans = 0;
    for (const procedure of await shipped()) {
      for (const step of procedure.steps) {
        if (step.kind !== 'action') {
          continue;
        }
        const where = `${procedure.id} ${step.id}`;
        if (step.mutating) {
          expect(step.gates.length, where).toBeGreaterThan(0);
        }
        if ('operation' in step) {
          expect(gatesOf(step), where).toEqual(expect.arrayContaining([...OPERATIONS[step.operation].gates]));
          if (step.operation === 'estop.reset') {
            estopResets += 1;
            expect(gatesOf(step), where).toContain('estop.released');
          }
          if (['service.start', 'service.stop', 'service.restart'].includes(step.operation)) {
            serviceChanges += 1;
            expect(gatesOf(step), where).toContain('vehicle.stopped');
          }
          if (step.operation === 'rs485.scan') {
            busScans += 1;
            expect(gatesOf(step), where).toContain('firmware.stopped');
          }
          if (step.operation === 'restore.unit') {
            expect(step.destructive, where).toBe(true);
          }
        }
      }
    }
    expect(estopResets).toBeGreaterThan(0);
    expect(serviceChanges).toBeGreaterThan(10);
    expect(busScans).toBeGreaterThan(0);
  });

  it('run no shell: every command is a bare program with arguments', async () => {
    for (const procedure of await shipped()) {
      for (const step of procedure.steps) {
        if ((step.kind === 'check' || step.kind === 'action') && 'command' in step) {
          expect(step.command.program, `${procedure.id} ${step.id}`).not.toMatch(/^(sh|bash|dash)$/);
          const literal = JSON.stringify(step.command.args);
          expect(literal, `${procedure.id} ${step.id}`).not.toMatch(/\$\(|\$\{|`|\|\s|&&|;\s/);
        }
      }
    }
  });

  it('speak English and Vietnamese throughout, the Vietnamese written, not copied', async () => {
    for (const procedure of await shipped()) {
      const all = [procedure.title, procedure.summary, ...procedure.steps.flatMap(texts)];
      for (const text of all) {
        expect(text.en.trim(), procedure.id).not.toBe('');
        expect(text.vi.trim(), procedure.id).not.toBe('');
      }
      expect(procedure.summary.vi, procedure.id).not.toBe(procedure.summary.en);
      expect(procedure.title.vi, procedure.id).not.toBe(procedure.title.en);
      // Vietnamese carries its diacritics; a summary without any is English left untranslated.
      expect(procedure.summary.vi, procedure.id).toMatch(/[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i);
    }
  });

  it('make the runbook alert actions suggestions behind a decision, never steps that run on their own', async () => {
    const alerts = (await shipped()).filter((p) => p.category === 'alerts' && p.id.startsWith('alerts.high-'));
    expect(alerts.map((p) => p.id).sort()).toEqual([
      'alerts.high-cpu',
      'alerts.high-disk',
      'alerts.high-error-rate',
      'alerts.high-memory',
    ]);
    for (const procedure of alerts) {
      const firstMutating = procedure.steps.findIndex((s) => s.kind === 'action' && s.mutating);
      const firstDecision = procedure.steps.findIndex((s) => s.kind === 'decision');
      expect(firstDecision, procedure.id).toBeGreaterThanOrEqual(0);
      expect(firstDecision, procedure.id).toBeLessThan(firstMutating);
    }
  });

  it('cover every runbook section a diagnosis points to', async () => {
    const procedures = await shipped();
    for (const section of Object.values(RUNBOOK)) {
      const handled = procedures.some(
        (p) => sameRunbookSection(p.runbook, section) || p.runbook.startsWith(`${section} › `),
      );
      expect(handled, section).toBe(true);
    }
  });
});
