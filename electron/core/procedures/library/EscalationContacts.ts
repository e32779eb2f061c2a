import {
  EscalationMatrixSchema,
  type EscalationLevel,
  type EscalationMatrix,
} from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors/AppError';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Database } from '../../history/openDatabase';
import type { Clock } from '../../ports/Clock';

const KEY = 'escalation.matrix';

/**
 * The runbook's escalation matrix: who answers at which level, how fast, and for what. The levels, response times
 * and actions are the runbook's; the contacts are the team's own and ship empty (the runbook's addresses are
 * placeholders). Kept in the settings table; every change is recorded in the audit log with before and after.
 */
export const RUNBOOK_ESCALATION_LEVELS: readonly EscalationLevel[] = [
  {
    level: 1,
    role: { en: 'On-call engineer', vi: 'Kỹ sư trực' },
    responseMinutes: 15,
    actions: { en: 'Initial diagnosis, basic troubleshooting', vi: 'Chẩn đoán ban đầu, xử lý sự cố cơ bản' },
    contacts: [],
  },
  {
    level: 2,
    role: { en: 'Senior engineer', vi: 'Kỹ sư cao cấp' },
    responseMinutes: 30,
    actions: {
      en: 'Advanced troubleshooting, configuration changes',
      vi: 'Xử lý sự cố chuyên sâu, thay đổi cấu hình',
    },
    contacts: [],
  },
  {
    level: 3,
    role: { en: 'System architect', vi: 'Kiến trúc sư hệ thống' },
    responseMinutes: 60,
    actions: { en: 'Architecture changes, major incidents', vi: 'Thay đổi kiến trúc, sự cố nghiêm trọng' },
    contacts: [],
  },
  {
    level: 4,
    role: { en: 'CTO', vi: 'Giám đốc công nghệ (CTO)' },
    responseMinutes: 120,
    actions: {
      en: 'Critical business impact, security incidents',
      vi: 'Ảnh hưởng nghiêm trọng đến hoạt động kinh doanh, sự cố bảo mật',
    },
    contacts: [],
  },
];

export class EscalationContacts {
  private readonly read;
  private readonly write;

  constructor(
    private readonly db: Database,
    private readonly history: HistoryRepository,
    private readonly clock: Clock,
  ) {
    this.read = db.prepare<[string], { value_json: string; updated_at: string; updated_by: string }>(
      'SELECT value_json, updated_at, updated_by FROM settings WHERE key = ?',
    );
    this.write = db.prepare<[string, string, string, string]>(
      `INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
    );
  }

  /** The stored matrix, or the runbook's levels without contacts when none was set. */
  get(): EscalationMatrix {
    const row = this.read.get(KEY);
    if (!row) {
      return {
        levels: RUNBOOK_ESCALATION_LEVELS.map((l) => ({ ...l, contacts: [] })),
        updatedAt: null,
        updatedBy: null,
      };
    }
    let stored: unknown;
    try {
      stored = JSON.parse(row.value_json);
    } catch {
      stored = undefined;
    }
    const parsed = EscalationMatrixSchema.safeParse({
      levels: (stored as { levels?: unknown } | undefined)?.levels,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    });
    if (!parsed.success) {
      throw new AppError('DB', 'the stored escalation contacts are damaged; set them again in settings');
    }
    return parsed.data;
  }

  /** Replaces the levels (contacts, and response times or actions where the team changed them); audited. */
  set(levels: readonly EscalationLevel[], actor: string): EscalationMatrix {
    const at = this.clock.nowIso();
    const checked = EscalationMatrixSchema.parse({ levels, updatedAt: at, updatedBy: actor });
    const before = this.get();
    this.db.transaction(() => {
      this.write.run(KEY, JSON.stringify({ levels: checked.levels }), at, actor);
      this.history.appendAudit({
        actor,
        unit: null,
        action: 'settings.escalationContacts',
        outcome: 'ok',
        details: {
          before: before.levels,
          after: checked.levels,
        },
      });
    })();
    return checked;
  }
}
