import { describe, expect, it } from 'vitest';

import type { CastEvent } from '../../../shared/domain/asciicast';
import {
  HIDDEN_INPUT_MARKER,
  InputRedactor,
  PASSWORD_PROMPT_MARKER,
} from '../../../electron/core/terminal/recording/inputRedactor';

function redactor() {
  const events: CastEvent[] = [];
  return { r: new InputRedactor((event) => events.push(event)), events };
}

describe('what typed input goes into a recording', () => {
  it('keeps input once the vehicle echoed it, at the time it was typed', () => {
    const { r, events } = redactor();
    r.output(0, 'oht@unit:~$ ');
    r.input(1, 'l');
    r.input(1.1, 's');
    r.output(1.2, 'l');
    r.output(1.3, '\u001b[0ms');
    r.input(2, '\r');
    r.output(2.1, '\r\nVERSION\r\n');
    expect(events).toEqual([
      [1, 'i', 'l'],
      [1.1, 'i', 's'],
      [2, 'i', '\r'],
    ]);
  });

  it('leaves out a paste that was not echoed before the output moved to a new line', () => {
    const { r, events } = redactor();
    r.output(0, 'Enter the code ');
    r.input(1, 'code-1234\r');
    r.output(1.5, '\r\nthe code-1234 was wrong\r\n');
    expect(events).toEqual([
      [1, 'i', '\r'],
      [1, 'm', HIDDEN_INPUT_MARKER],
    ]);
  });

  it('leaves out everything typed at a password prompt up to Enter, echoed or not', () => {
    const { r, events } = redactor();
    r.output(0, '[sudo] password for oht: ');
    r.input(1, 'hunter2');
    r.output(1.1, '*******');
    r.input(2, '\r');
    r.output(2.1, '\r\n$ ');
    r.input(3, 'id');
    r.output(3.1, 'id');
    expect(events).toEqual([
      [1, 'm', PASSWORD_PROMPT_MARKER],
      [2, 'i', '\r'],
      [3, 'i', 'id'],
    ]);
  });

  it('leaves out what was typed ahead of a password prompt, though the prompt shows some of its letters', () => {
    const { r, events } = redactor();
    r.output(0, '$ ');
    r.input(1, 'sudo -k; sudo id\r');
    r.output(1.1, 'sudo -k; sudo id\r\n');
    r.input(2, 'p');
    r.input(2.1, 'a');
    r.output(2.2, '[sudo] password for oht: ');
    r.input(3, 's');
    r.input(4, '\r');
    expect(events.filter(([, code]) => code === 'i').map(([, , data]) => data)).toEqual([
      '\r',
      'sudo -k; sudo id',
      '\r',
    ]);
    expect(events.filter(([, code]) => code === 'm')).toHaveLength(3);
  });

  it('leaves out input never echoed within the wait, and whatever still waits when the session ends', () => {
    const { r, events } = redactor();
    r.input(0, 'typed-blind');
    r.output(5, 'x');
    r.input(6, 'last');
    r.flush();
    expect(events).toEqual([
      [0, 'm', HIDDEN_INPUT_MARKER],
      [6, 'm', HIDDEN_INPUT_MARKER],
    ]);
  });

  it('records arrows and control keys as they are', () => {
    const { r, events } = redactor();
    r.input(0, '\u001b[A\u0003');
    expect(events).toEqual([
      [0, 'i', '\u001b[A'],
      [0, 'i', '\u0003'],
    ]);
  });
});
