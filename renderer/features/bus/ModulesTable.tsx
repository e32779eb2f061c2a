import type { ScanResultView } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';
import { hexWord } from './moduleText';

type ScannedModule = ScanResultView['modules'][number];
type Props = { modules: readonly ScannedModule[]; slave: number | null; onOpen: (address: number) => void };

/** The modules that answered: who each says it is, its status and error words, its latency. */
export function ModulesTable({ modules, slave, onOpen }: Props) {
  const { t } = useI18n();
  return (
    <table className="bus-table" data-testid="modules-table">
      <thead>
        <tr>
          <th scope="col">{t('bus.scan.col.address')}</th>
          <th scope="col">{t('bus.scan.col.type')}</th>
          <th scope="col">{t('bus.scan.col.firmware')}</th>
          <th scope="col">{t('bus.scan.col.hardware')}</th>
          <th scope="col">{t('bus.scan.col.status')}</th>
          <th scope="col">{t('bus.scan.col.error')}</th>
          <th scope="col">{t('bus.scan.col.latency')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('bus.scan.col.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {modules.map((module) => (
          <ModuleRow key={module.address} module={module} isChosen={module.address === slave} onOpen={onOpen} />
        ))}
      </tbody>
    </table>
  );
}

function ModuleRow({
  module,
  isChosen,
  onOpen,
}: {
  module: ScannedModule;
  isChosen: boolean;
  onOpen: Props['onOpen'];
}) {
  const { t } = useI18n();
  return (
    <tr
      className={isChosen ? 'bus-table__row--chosen' : undefined}
      data-testid="module-row"
      data-address={module.address}
      data-type={module.moduleType ?? ''}
    >
      <td className="mono">{module.address}</td>
      <td>
        {module.typeName}
        {module.typeInferred ? <span className="tag tag--attention">{t('bus.scan.inferred')}</span> : null}
        {module.possibleDuplicate ? (
          <span className="tag tag--danger" data-testid="module-duplicate">
            {t('bus.scan.duplicate')}
          </span>
        ) : null}
        {module.lateMs !== null ? (
          <span className="tag tag--attention" data-testid="module-slow">
            {t('bus.scan.slow', { ms: Math.round(module.lateMs) })}
          </span>
        ) : null}
        {module.name ? <div className="muted">{module.name}</div> : null}
        {module.notes.map((note) => (
          <div key={note} className="muted bus__hint">
            {note}
          </div>
        ))}
      </td>
      <td className="mono">{module.firmwareVersion ?? '—'}</td>
      <td className="mono">{module.hardwareVersion ?? '—'}</td>
      <td className="mono">{hexWord(module.status)}</td>
      <td className={`mono${module.error ? ' bus__bad' : ''}`} data-testid="module-error">
        {hexWord(module.error)}
      </td>
      <td className="mono">{module.latencyMs === null ? '—' : `${module.latencyMs.toFixed(1)} ms`}</td>
      <td>
        <button
          type="button"
          className="button button--small"
          aria-pressed={isChosen}
          onClick={() => onOpen(module.address)}
          data-testid="module-open"
        >
          {t('bus.scan.open')}
        </button>
      </td>
    </tr>
  );
}
