import type { CastEvent } from '../../../../shared/domain/asciicast';

/**
 * Decides which typed input goes into a recording. A terminal only ever shows what the vehicle echoes, and a secret
 * (a sudo password, a passphrase, anything typed after `stty -echo`) is the input the vehicle does not echo. So
 * printable input is held until its echo is seen in the output that follows it, before the next line starts: then
 * it is recorded at the time it was typed. Input the vehicle did not echo (within ECHO_WAIT_S, or before its output
 * moved to a new line) is left out, with a marker saying so; so is everything typed after a prompt that asks for a
 * password, up to the Enter that ends it. Control keys (Enter, arrows, Ctrl-C) carry no secret and are recorded.
 */

/** How long printable input waits for its echo before it counts as typed without one. */
export const ECHO_WAIT_S = 2;

export const HIDDEN_INPUT_MARKER = 'input not echoed by the vehicle: not recorded';
export const PASSWORD_PROMPT_MARKER = 'input typed at a password prompt: not recorded';

/** The end of a line that asks for a secret: "Password:", "[sudo] password for oht:", "Enter passphrase for key:". */
const SECRET_PROMPT = /(password|passphrase|passcode|\bpin\b|secret|mật khẩu)[^\n]*[:?]\s*$/i;

const ESCAPES =
  // eslint-disable-next-line no-control-regex -- terminal escape sequences are made of control characters
  /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]|[\u0000-\u0009\u000b-\u001f\u007f]/g;
/** An input escape sequence (an arrow, a function key) or one control character. */
// eslint-disable-next-line no-control-regex -- input control keys are control characters
const INPUT_CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|\u001bO.|\u001b.?|[\u0000-\u001f\u007f]/g;

type Word = { t: number; text: string; window: string; deadline: number };

export class InputRedactor {
  private readonly words: Word[] = [];
  /** The current output line (without escapes), to notice a password prompt. */
  private lastLine = '';
  private isAtSecretPrompt = false;
  /** The marker for the current password prompt is in the recording. */
  private isMarked = false;

  constructor(private readonly emit: (event: CastEvent) => void) {}

  output(t: number, text: string): void {
    this.expire(t);
    const plain = text.replace(ESCAPES, '');
    const newline = plain.lastIndexOf('\n');
    this.lastLine = (newline >= 0 ? plain.slice(newline + 1) : this.lastLine + plain).slice(-200);
    if (SECRET_PROMPT.test(this.lastLine)) {
      // A password prompt: what was typed ahead of it is its answer, whatever the prompt's own text contains.
      this.flush();
      this.isAtSecretPrompt = true;
      return;
    }
    for (const word of [...this.words]) {
      const lineEnd = plain.indexOf('\n');
      word.window = (word.window + (lineEnd >= 0 ? plain.slice(0, lineEnd) : plain)).slice(-4096);
      if (word.window.includes(word.text)) {
        this.resolve(word, true);
      } else if (lineEnd >= 0) {
        // The output moved to a new line without showing what was typed: it was not echoed.
        this.resolve(word, false);
      }
    }
  }

  input(t: number, data: string): void {
    this.expire(t);
    let last = 0;
    for (const match of data.matchAll(INPUT_CONTROL)) {
      this.printable(t, data.slice(last, match.index));
      this.control(t, match[0]);
      last = match.index + match[0].length;
    }
    this.printable(t, data.slice(last));
  }

  /** The session ended: what still waits for an echo never got one. */
  flush(): void {
    for (const word of [...this.words]) {
      this.resolve(word, false);
    }
  }

  private printable(t: number, text: string): void {
    if (text === '') {
      return;
    }
    if (this.isAtSecretPrompt) {
      if (!this.isMarked) {
        this.emit([t, 'm', PASSWORD_PROMPT_MARKER]);
        this.isMarked = true;
      }
      return;
    }
    this.words.push({ t, text, window: '', deadline: t + ECHO_WAIT_S });
  }

  private control(t: number, key: string): void {
    this.emit([t, 'i', key]);
    if (key === '\r' || key === '\n') {
      this.isAtSecretPrompt = false;
      this.isMarked = false;
      // What answered a prompt is no longer on the line being typed.
      this.lastLine = '';
    }
  }

  private expire(t: number): void {
    for (const word of [...this.words]) {
      if (word.deadline < t) {
        this.resolve(word, false);
      }
    }
  }

  private resolve(word: Word, echoed: boolean): void {
    const index = this.words.indexOf(word);
    if (index < 0) {
      return;
    }
    this.words.splice(index, 1);
    this.emit(echoed ? [word.t, 'i', word.text] : [word.t, 'm', HIDDEN_INPUT_MARKER]);
  }
}
