import type { BusFrameView } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';

/** Every frame with its time, direction, hex, decoded meaning and CRC; newest first. */
export function FramesTable({ frames }: { frames: readonly BusFrameView[] }) {
  const { t, language } = useI18n();
  return (
    <div className="bus__scroll bus__scroll--frames">
      <table className="bus-table bus-table--frames" data-testid="frames-table">
        <thead>
          <tr>
            <th scope="col">{t('bus.monitor.col.time')}</th>
            <th scope="col">{t('bus.monitor.col.direction')}</th>
            <th scope="col">{t('bus.monitor.col.hex')}</th>
            <th scope="col">{t('bus.monitor.col.meaning')}</th>
            <th scope="col">{t('bus.monitor.col.crc')}</th>
          </tr>
        </thead>
        <tbody>
          {frames.map((frame, index) => (
            <tr
              key={`${frame.at}-${frame.direction}-${index}`}
              data-testid="frame-row"
              data-direction={frame.direction}
              data-crc={frame.crcOk ? 'ok' : 'bad'}
              className={frame.crcOk ? undefined : 'bus-table__row--error'}
            >
              <td className="mono">{frameTime(frame.at, language)}</td>
              <td>
                <span className={`dir dir--${frame.direction}`}>
                  {frame.direction === 'tx' ? t('bus.monitor.tx') : t('bus.monitor.rx')}
                </span>
              </td>
              <td className="mono bus__hex">{frame.hex}</td>
              <td>{frame.meaning}</td>
              <td>
                {frame.crcOk ? (
                  <span className="tag tag--ok">{t('bus.monitor.crcOk')}</span>
                ) : (
                  <span className="tag tag--danger">{t('bus.monitor.crcBad')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Wall-clock time with milliseconds: frames a few ms apart must not look simultaneous. */
function frameTime(at: number, language: string): string {
  const date = new Date(at);
  const clock = date.toLocaleTimeString(language === 'vi' ? 'vi-VN' : 'en-GB', { hour12: false });
  return `${clock}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
