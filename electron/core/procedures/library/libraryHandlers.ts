import { basename } from 'node:path';

import { diffJson, type JsonChange } from '../../../../shared/domain/jsonDiff';
import type { Procedure } from '../../../../shared/domain/procedure';
import type { PROCEDURE_LIBRARY_CALL_NAMES } from '../../../../shared/ipc/names/procedureLibrary';
import type { CoreHandlers } from '../../api/CoreApi';
import type { FeatureDeps } from '../../feature';
import { EscalationContacts } from './EscalationContacts';
import { ProcedureLibrary, shippedProceduresDir, userProceduresDir } from './ProcedureLibrary';

/** What a technician's file changes from the shipped procedure (its version and revision aside). */
export function procedureChanges(shipped: Procedure, edited: Procedure): JsonChange[] {
  return diffJson(shipped, edited, ['$.version', '$.revision']);
}

export type ProcedureLibraryCallName = (typeof PROCEDURE_LIBRARY_CALL_NAMES)[number];

export type ProcedureLibraryParts = {
  library: ProcedureLibrary;
  contacts: EscalationContacts;
  handlers: Pick<CoreHandlers, ProcedureLibraryCallName>;
};

/** The library's part of the procedures feature: the procedures as data, their versions, and the escalation contacts. */
export function createProcedureLibrary(
  deps: Pick<FeatureDeps, 'dataDir' | 'db' | 'history' | 'clock' | 'layout'>,
  options: { shippedDir?: string } = {},
): ProcedureLibraryParts {
  const library = new ProcedureLibrary({
    shippedDir: options.shippedDir ?? shippedProceduresDir(deps.layout.resourcesDir),
    userDir: userProceduresDir(deps.dataDir),
  });
  const contacts = new EscalationContacts(deps.db, deps.history, deps.clock);

  const handlers: Pick<CoreHandlers, ProcedureLibraryCallName> = {
    'procedures.list': async (input) => library.list(input),
    'procedures.get': async (input) => {
      const entry = await library.get(input.id, input.version);
      return {
        procedure: entry.procedure,
        source: entry.source,
        file: basename(entry.path),
        versions: entry.versions,
        latest: entry.latest,
        supersedes: entry.shipped
          ? { version: entry.shipped.procedure.version, file: basename(entry.shipped.path) }
          : null,
        changes: entry.shipped ? procedureChanges(entry.shipped.procedure, entry.procedure) : [],
      };
    },
    'procedures.save': async (input, context) => {
      const saved = await library.save(input.procedure, {
        by: context.actor,
        at: deps.clock.nowIso(),
        note: input.note,
      });
      deps.history.appendAudit({
        actor: context.actor,
        unit: null,
        action: 'procedures.save',
        outcome: 'ok',
        details: {
          id: saved.procedure.id,
          version: saved.procedure.version,
          from: saved.from,
          file: basename(saved.path),
          note: input.note ?? null,
        },
      });
      return { id: saved.procedure.id, version: saved.procedure.version, file: basename(saved.path) };
    },
    'procedures.invalid': async () => library.invalid(),
    'procedures.forCheck': async (input) => library.forCheck(input.checkId, input.runbook),
    'escalation.contacts.get': async () => contacts.get(),
    'escalation.contacts.set': async (input, context) => contacts.set(input.levels, context.actor),
  };
  return { library, contacts, handlers };
}
