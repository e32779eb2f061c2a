import { useId, useState } from 'react';

import type { ChecklistAnswer, CurrentStep, GateEvaluation } from '../../../shared/ipc/contracts/procedureRuns';
import { useI18n } from '../../i18n/I18nProvider';
import { readAttachments, type AttachmentInput } from './attachments';
import { localized } from '../../i18n/localized';
import { useRun } from './runContext';
import { ActionAnswer } from './ActionAnswer';

type Props = { current: CurrentStep; gates: readonly GateEvaluation[] };

/** The answer the current step needs, by its kind. Nothing that changes the vehicle runs without a confirmation. */
export function AnswerForms({ current, gates }: Props) {
  switch (current.kind) {
    case 'info':
      return <SimpleAnswer label="run.ack" testId="step-ack" answer={{ kind: 'ack' }} stepId={current.stepId} />;
    case 'check':
      return <SimpleAnswer label="run.runCheck" testId="step-run" answer={{ kind: 'run' }} stepId={current.stepId} />;
    case 'action':
      return <ActionAnswer current={current} gates={gates} />;
    case 'manual':
      return <ManualAnswer current={current} />;
    case 'decision':
      return <DecisionAnswer current={current} />;
    case 'checklist':
      return <ChecklistAnswerForm current={current} />;
    case 'escalate':
      return <EscalateAnswer current={current} />;
  }
}

type SimpleProps = {
  label: 'run.ack' | 'run.runCheck';
  testId: string;
  answer: { kind: 'ack' } | { kind: 'run' };
  stepId: string;
};

function SimpleAnswer({ label, testId, answer, stepId }: SimpleProps) {
  const { t } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  return (
    <div className="toolbar">
      <button
        type="button"
        className="button button--primary"
        data-testid={testId}
        disabled={isBusy}
        onClick={() => void act(stepId, answer)}
      >
        {isBusy ? t('run.working') : t(label)}
      </button>
    </div>
  );
}

function useAttachmentPicker(): {
  picked: File[];
  setPicked: (files: File[]) => void;
  read: () => Promise<AttachmentInput[] | string>;
} {
  const [picked, setPicked] = useState<File[]>([]);
  return {
    picked,
    setPicked,
    read: async () => {
      try {
        return await readAttachments(picked);
      } catch (error) {
        return error instanceof RangeError ? error.message : String(error);
      }
    },
  };
}

function ManualAnswer({ current }: { current: CurrentStep }) {
  const { t } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const files = useAttachmentPicker();
  const id = useId();
  const isReady =
    (!current.noteRequired || note.trim() !== '') && (!current.attachmentRequired || files.picked.length > 0);

  const submit = async (): Promise<void> => {
    const attachments = await files.read();
    if (typeof attachments === 'string') {
      setProblem(t('run.attachmentTooBig', { name: attachments }));
      return;
    }
    setProblem(null);
    await act(current.stepId, {
      kind: 'manual',
      confirmed: true,
      attachments,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };

  return (
    <div className="run__answer">
      <div className="field">
        <label htmlFor={`${id}-note`}>{current.noteRequired ? t('run.noteRequired') : t('run.note')}</label>
        <textarea
          id={`${id}-note`}
          rows={3}
          value={note}
          data-testid="manual-note"
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {current.attachmentAllowed ? (
        <div className="field">
          <label htmlFor={`${id}-file`}>{t('run.attachment')}</label>
          <input
            id={`${id}-file`}
            type="file"
            multiple
            data-testid="manual-file"
            onChange={(event) => files.setPicked([...(event.target.files ?? [])])}
          />
        </div>
      ) : null}
      {problem ? <p className="notice notice--error">{problem}</p> : null}
      <button
        type="button"
        className="button button--primary"
        data-testid="manual-done"
        disabled={isBusy || !isReady}
        onClick={() => void submit()}
      >
        {t('run.manualDone')}
      </button>
    </div>
  );
}

function DecisionAnswer({ current }: { current: CurrentStep }) {
  const { language } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  return (
    <div className="toolbar" role="group">
      {current.options.map((option) => (
        <button
          key={option.id}
          type="button"
          className="button"
          data-testid={`decision-${option.id}`}
          disabled={isBusy}
          onClick={() => void act(current.stepId, { kind: 'decision', option: option.id })}
        >
          {localized(option.label, language)}
        </button>
      ))}
    </div>
  );
}

const CHECKLIST_ANSWERS: readonly ChecklistAnswer[] = ['done', 'not-done', 'n/a'];

function ChecklistAnswerForm({ current }: { current: CurrentStep }) {
  const { t, language } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  const [answers, setAnswers] = useState<Record<string, ChecklistAnswer>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const id = useId();
  const isComplete = current.items.every(
    (item) =>
      answers[item.id] !== undefined &&
      (!item.required || answers[item.id] !== 'n/a') &&
      (!item.noteRequired || (notes[item.id] ?? '').trim() !== ''),
  );
  return (
    <div className="run__answer">
      <ul className="checklist" data-testid="checklist-items">
        {current.items.map((item) => (
          <li key={item.id} className="checklist__item" data-testid={`item-${item.id}`}>
            <span className="checklist__text">
              {localized(item.text, language)}
              {item.required ? ' *' : ''}
            </span>
            <span role="radiogroup" aria-label={localized(item.text, language)} className="checklist__answers">
              {CHECKLIST_ANSWERS.map((answer) => (
                <label key={answer}>
                  <input
                    type="radio"
                    name={`${id}-${item.id}`}
                    checked={answers[item.id] === answer}
                    data-testid={`item-${item.id}-${answer}`}
                    onChange={() => setAnswers((all) => ({ ...all, [item.id]: answer }))}
                  />
                  {t(`checklist.${answer}`)}
                </label>
              ))}
            </span>
            <input
              className="checklist__note"
              placeholder={item.noteRequired ? t('run.noteRequired') : t('run.note')}
              aria-label={`${localized(item.text, language)} ${t('run.note')}`}
              value={notes[item.id] ?? ''}
              onChange={(event) => setNotes((all) => ({ ...all, [item.id]: event.target.value }))}
            />
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button--primary"
        data-testid="checklist-submit"
        disabled={isBusy || !isComplete}
        onClick={() =>
          void act(current.stepId, {
            kind: 'checklist',
            attachments: [],
            items: current.items.map((item) => ({
              id: item.id,
              answer: answers[item.id] ?? 'not-done',
              ...(notes[item.id]?.trim() ? { note: notes[item.id]?.trim() } : {}),
            })),
          })
        }
      >
        {t('run.checklistSubmit')}
      </button>
    </div>
  );
}

function EscalateAnswer({ current }: { current: CurrentStep }) {
  const { t } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  const [note, setNote] = useState('');
  const id = useId();
  return (
    <div className="run__answer">
      <p>{t('run.escalateTo', { level: current.escalationLevel ?? '?' })}</p>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('run.note')}</label>
        <textarea id={`${id}-note`} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      <button
        type="button"
        className="button button--primary"
        data-testid="step-escalate"
        disabled={isBusy}
        onClick={() => void act(current.stepId, { kind: 'escalate', ...(note.trim() ? { note: note.trim() } : {}) })}
      >
        {t('run.escalate')}
      </button>
    </div>
  );
}
