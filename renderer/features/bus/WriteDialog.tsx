import { useCallback, useEffect, useId, useMemo, useState } from 'react';

import type { ModuleReading, WritePlanView, WriteResultView } from '../../../shared/ipc/contracts/rs485';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { Dialog } from './Dialog';
import { hexWord, moduleTypeKey, outcomeKey } from './moduleText';

export type WriteRequest = { action: 'write' | 'clearErrors'; register: string | null };

type Props = {
  busId: string;
  slave: number;
  reading: ModuleReading;
  unit: string | undefined;
  request: WriteRequest;
  onClose: () => void;
};

/**
 * The safe write: a register of the map and a value in its units, then the core's plan (old → new, or why not),
 * an explicit confirmation (a second one for a safety-critical register), then the verified result.
 */
export function WriteDialog({ busId, slave, reading, unit, request, onClose }: Props) {
  const { t } = useI18n();
  const api = useApi();
  const id = useId();
  const writable = useMemo(() => reading.registers.filter((r) => r.access !== 'R'), [reading]);
  const readOnly = useMemo(() => reading.registers.filter((r) => r.access === 'R'), [reading]);
  const [register, setRegister] = useState(request.register ?? writable[0]?.name ?? readOnly[0]?.name ?? '');
  const [value, setValue] = useState('');
  const [plan, setPlan] = useState<WritePlanView | null>(null);
  const [result, setResult] = useState<WriteResultView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [isChecked, setChecked] = useState(false);
  const [isSafetyChecked, setSafetyChecked] = useState(false);
  const isClear = request.action === 'clearErrors';
  const chosen = reading.registers.find((r) => r.name === register);

  const makePlan = useCallback(async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setChecked(false);
    setSafetyChecked(false);
    try {
      const next = await api.call(
        'rs485.planWrite',
        isClear
          ? { busId, slave, type: reading.type, action: 'clearErrors', ...(unit ? { unit } : {}) }
          : { busId, slave, type: reading.type, action: 'write', register, value, ...(unit ? { unit } : {}) },
      );
      setPlan(next);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }, [api, busId, slave, reading.type, isClear, register, value, unit]);

  // Clearing errors has nothing to choose: its plan is asked for straight away.
  useEffect(() => {
    if (!isClear) {
      return;
    }
    let isCurrent = true;
    api
      .call('rs485.planWrite', { busId, slave, type: reading.type, action: 'clearErrors', ...(unit ? { unit } : {}) })
      .then(
        (next) => isCurrent && setPlan(next),
        (caught: unknown) => isCurrent && setError(caught),
      );
    return () => {
      isCurrent = false;
    };
  }, [api, busId, slave, reading.type, unit, isClear]);

  const apply = async (): Promise<void> => {
    if (!plan) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api.call('rs485.applyWrite', { planId: plan.planId, confirm: plan.needsConfirmation && isSafetyChecked }),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const needsSafety = plan !== null && (plan.needsConfirmation || (plan.register?.safetyCritical ?? false));
  const mayApply =
    plan !== null && plan.refused === undefined && !plan.unchanged && isChecked && (!needsSafety || isSafetyChecked);
  const title = isClear
    ? t('bus.write.clearTitle', { module: t(moduleTypeKey(reading.type)), address: slave })
    : t('bus.write.title', { module: t(moduleTypeKey(reading.type)), address: slave });

  return (
    <Dialog title={title} testId="write-dialog" onClose={onClose} isDanger={needsSafety}>
      {!isClear && result === null ? (
        <form
          className="bus-dialog__form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (register !== '' && value.trim() !== '' && !isBusy) {
              void makePlan();
            }
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-register`}>{t('bus.write.register')}</label>
            <select
              id={`${id}-register`}
              value={register}
              onChange={(event) => {
                setRegister(event.target.value);
                setPlan(null);
              }}
              data-testid="write-register"
            >
              <optgroup label={t('bus.write.writable')}>
                {writable.map((r) => (
                  <option key={r.address} value={r.name}>
                    {r.addressHex} {r.label} ({r.name}){r.safetyCritical ? ` ⚠ ${t('bus.reg.safetyCritical')}` : ''}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('bus.write.readOnly')}>
                {readOnly.map((r) => (
                  <option key={r.address} value={r.name}>
                    {r.addressHex} {r.label} ({r.name})
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          {chosen ? (
            <p className="muted" data-testid="write-register-facts">
              {t('bus.write.facts', {
                now: chosen.text ?? '—',
                raw: chosen.rawHex ?? '—',
                min: chosen.min,
                max: chosen.max,
                unit: chosen.unit || '—',
              })}
              {chosen.enumValues
                ? ` · ${t('bus.write.choices', { choices: chosen.enumValues.map((e) => `${e.name} (${e.value})`).join(', ') })}`
                : ''}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-value`}>
              {chosen?.unit ? t('bus.write.valueIn', { unit: chosen.unit }) : t('bus.write.value')}
            </label>
            <input
              id={`${id}-value`}
              type="text"
              value={value}
              onChange={(event) => {
                setValue(event.target.value);
                setPlan(null);
              }}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${id}-value-hint`}
              data-testid="write-value"
            />
            <span className="field__hint" id={`${id}-value-hint`}>
              {t('bus.write.valueHint')}
            </span>
          </div>
          <div className="toolbar">
            <button
              type="submit"
              className="button"
              disabled={register === '' || value.trim() === '' || isBusy}
              data-testid="write-plan"
            >
              {t('bus.write.plan')}
            </button>
          </div>
        </form>
      ) : null}

      {error ? <ErrorNotice error={error} testId="write-error" /> : null}
      {(isBusy || (isClear && !error)) && plan === null ? <p className="muted">{t('bus.write.planning')}</p> : null}

      {plan && result === null ? (
        <div className="bus-plan" data-testid="write-plan-view" data-refused={plan.refused !== undefined}>
          <h3 className="bus__subtitle">{t('bus.write.planTitle')}</h3>
          <p className="mono bus-plan__summary">{plan.summary}</p>
          {plan.register ? (
            <p>
              {plan.register.label}{' '}
              <span className="mono muted">
                ({plan.register.name}, {plan.register.addressHex})
              </span>{' '}
              {plan.register.safetyCritical ? (
                <span className="tag tag--danger">{t('bus.reg.safetyCritical')}</span>
              ) : null}
            </p>
          ) : null}
          {plan.refused !== undefined ? (
            <p className="notice notice--error bus-plan__refused" role="alert" data-testid="write-refused">
              <strong>{t('bus.write.refused')}</strong> {plan.refused}
            </p>
          ) : (
            <p className="bus-plan__change" data-testid="write-change">
              <span className="bus-plan__old">
                {plan.old ? `${plan.old.text} (${plan.old.rawHex})` : t('bus.write.noOld')}
              </span>
              <span> → </span>
              <span className="bus-plan__new">{plan.new ? `${plan.new.text} (${hexWord(plan.new.raw)})` : '—'}</span>
            </p>
          )}
          {plan.unchanged ? (
            <p className="notice" data-testid="write-unchanged">
              {t('bus.write.unchanged')}
            </p>
          ) : null}
          {plan.refused === undefined && !plan.unchanged ? (
            <div className="bus-plan__confirm">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={isChecked}
                  onChange={(event) => setChecked(event.target.checked)}
                  data-testid="write-confirm"
                />
                {t('bus.write.confirm')}
              </label>
              {needsSafety ? (
                <label className="checkbox bus-plan__safety">
                  <input
                    type="checkbox"
                    checked={isSafetyChecked}
                    onChange={(event) => setSafetyChecked(event.target.checked)}
                    data-testid="write-confirm-safety"
                  />
                  {t('bus.write.confirmSafety')}
                </label>
              ) : null}
            </div>
          ) : null}
          <div className="toolbar bus-dialog__actions">
            {plan.refused === undefined && !plan.unchanged ? (
              <button
                type="button"
                className={`button ${needsSafety ? 'button--danger' : 'button--primary'}`}
                disabled={!mayApply || isBusy}
                onClick={() => void apply()}
                data-testid="write-apply"
              >
                {isBusy ? t('bus.write.writing') : t('bus.write.apply')}
              </button>
            ) : null}
            <button type="button" className="button" onClick={onClose} data-testid="write-cancel">
              {t('bus.cancel')}
            </button>
          </div>
        </div>
      ) : null}

      {result ? (
        <div data-testid="write-result" data-outcome={result.outcome}>
          <p
            className={`notice ${result.outcome === 'ok' ? 'notice--ok' : 'notice--error'}`}
            role={result.outcome === 'ok' ? 'status' : 'alert'}
          >
            <strong>{t(outcomeKey(result.outcome))}</strong> {result.message}
          </p>
          {result.readBack ? (
            <p data-testid="write-readback">
              {t('bus.write.readBack', {
                name: result.readBack.name,
                text: result.readBack.text,
                raw: result.readBack.rawHex,
              })}
            </p>
          ) : null}
          <p className="muted">{t('bus.audited', { seq: result.audit.seq })}</p>
          <div className="toolbar bus-dialog__actions">
            <button type="button" className="button button--primary" onClick={onClose} data-testid="write-close">
              {t('bus.close')}
            </button>
          </div>
        </div>
      ) : null}
      {plan === null && result === null ? (
        <div className="toolbar bus-dialog__actions">
          <button type="button" className="button" onClick={onClose} data-testid="write-cancel">
            {t('bus.cancel')}
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}
