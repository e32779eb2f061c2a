import type { RegisterReading } from '../../../shared/ipc/contracts/rs485';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import { formatRaw, type RawFormat } from './registerView';

type Props = {
  registers: readonly RegisterReading[];
  rawFormat: RawFormat;
  onWrite: (register: RegisterReading) => void;
};

/** A module's registers, decoded by its map: value, raw word, access, meaning, and a write for the writable. */
export function RegistersTable({ registers, rawFormat, onWrite }: Props) {
  const { t } = useI18n();
  return (
    <div className="bus__scroll bus__scroll--registers">
      <table className="bus-table bus-table--registers" data-testid="registers-table">
        <thead>
          <tr>
            <th scope="col">{t('bus.reg.address')}</th>
            <th scope="col">{t('bus.reg.name')}</th>
            <th scope="col">{t('bus.reg.value')}</th>
            <th scope="col">{t('bus.reg.raw')}</th>
            <th scope="col">{t('bus.reg.access')}</th>
            <th scope="col">{t('bus.reg.meaning')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('bus.reg.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {registers.map((register) => (
            <RegisterRow
              key={register.address}
              register={register}
              rawFormat={rawFormat}
              onWrite={() => onWrite(register)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

type RegisterRowProps = { register: RegisterReading; rawFormat: RawFormat; onWrite: () => void };

function RegisterRow({ register, rawFormat, onWrite }: RegisterRowProps) {
  const { t } = useI18n();
  const isWritable = register.access !== 'R';
  return (
    <tr
      data-testid={`reg-${register.name}`}
      data-level={register.level ?? ''}
      data-raw={register.rawHex ?? ''}
      className={
        register.level === 'ERROR'
          ? 'bus-table__row--error'
          : register.level === 'WARN'
            ? 'bus-table__row--warn'
            : undefined
      }
    >
      <td className="mono">{register.addressHex}</td>
      <td>
        <span className="bus__reg-label">{register.label}</span>
        <span className="mono muted bus__reg-name">{register.name}</span>
        {register.safetyCritical ? (
          <span className="tag tag--danger" data-testid="safety-critical">
            {t('bus.reg.safetyCritical')}
          </span>
        ) : null}
      </td>
      <td className="bus__value" data-testid="reg-value">
        <RegisterValue register={register} />
      </td>
      <td className="mono" data-testid="reg-raw">
        {rawFormat === 'hex' ? (register.rawHex ?? '—') : formatRaw(register.raw, rawFormat)}
      </td>
      <td>
        <span className={`access access--${register.access.toLowerCase()}`} title={t(accessKey(register.access))}>
          {register.access}
        </span>
      </td>
      <td className="bus__meaning">
        <RegisterMeaning register={register} />
      </td>
      <td>
        {isWritable ? (
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={onWrite}
            aria-label={t('bus.reg.writeOne', { name: register.label })}
            data-testid="reg-write"
          >
            {t('bus.reg.write')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** The decoded value with its level, or why it could not be read. */
function RegisterValue({ register }: { register: RegisterReading }) {
  if (register.failure !== null) {
    return <span className="bus__bad">{register.failure}</span>;
  }
  return (
    <>
      {register.text ?? '—'}
      {register.level && register.level !== 'OK' ? (
        <>
          {' '}
          <LevelChip level={register.level} />
        </>
      ) : null}
    </>
  );
}

/** What the value means: the map's words, the bits set, the choices, the reasons for its level. */
function RegisterMeaning({ register }: { register: RegisterReading }) {
  const { t } = useI18n();
  return (
    <>
      {register.meaning ? <div>{register.meaning}</div> : null}
      {register.bits ? (
        <ul className="bus__bits" aria-label={t('bus.reg.bits')}>
          {register.bits.map((bit) => (
            <li key={bit.bit} className={bit.set ? 'bus__bit bus__bit--set' : 'bus__bit'} data-set={bit.set}>
              <span className="mono">{bit.bit}</span> {bit.name}
            </li>
          ))}
        </ul>
      ) : null}
      {register.enumValues && !register.bits ? (
        <span className="muted bus__enum">
          {register.enumValues.map((entry) => `${entry.value} ${entry.name}`).join(' · ')}
        </span>
      ) : null}
      {register.reasons.map((reason) => (
        <div key={reason} className="bus__reason">
          {reason}
        </div>
      ))}
    </>
  );
}

function accessKey(access: RegisterReading['access']) {
  switch (access) {
    case 'R':
      return 'bus.access.R' as const;
    case 'RW':
      return 'bus.access.RW' as const;
    case 'W':
      return 'bus.access.W' as const;
  }
}
