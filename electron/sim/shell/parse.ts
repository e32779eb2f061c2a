/**
 * A parser for the small part of the POSIX shell language that the workstation's probes use: simple commands
 * with quotes, `$NAME` parameters, redirections, and `;`, `&`, `&&`, `||` and newlines between them. Anything
 * else (pipes, subshells, substitutions, compound commands) is reported as unsupported rather than guessed,
 * so a probe the simulator cannot answer fails loudly instead of answering wrongly.
 *
 * Like dash, it hands out one line at a time: a syntax error on line 3 is only found after lines 1 and 2 ran.
 * Error texts are dash's, because the simulator must print what a vehicle's /bin/sh prints.
 */

export type WordPart =
  { kind: 'text'; text: string; quoted: boolean } | { kind: 'param'; name: string; quoted: boolean };
export type Word = WordPart[];

export type RedirectOp = '>' | '>>' | '>|' | '<' | '>&' | '<&' | '<>';
export type Redirect = { fd: number; op: RedirectOp; target: Word };

export type SimpleCommand = { words: Word[]; redirects: Redirect[]; line: number };
export type AndOrList = {
  first: SimpleCommand;
  rest: { op: '&&' | '||'; command: SimpleCommand }[];
  /** Ended by `&`: run as a background job. */
  background: boolean;
};

export type ParsedLine =
  { kind: 'lists'; lists: AndOrList[] } | { kind: 'error'; line: number; message: string } | { kind: 'eof' };

export class ShellParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { type: 'word'; word: Word; line: number }
  | { type: 'io'; fd: number; line: number }
  | { type: 'op'; op: string; line: number }
  | { type: 'newline'; line: number }
  | { type: 'eof'; line: number };

const OPERATORS = ['&&', '||', ';;', '>>', '>&', '<&', '<>', '>|', '<<', ';', '&', '|', '(', ')', '<', '>'];
const REDIRECTS: readonly string[] = ['>', '>>', '>|', '<', '>&', '<&', '<>'];
const METACHARS = ' \t\n;&|<>()';
const UNSUPPORTED_OPS: Record<string, string> = {
  '|': 'pipelines are',
  '(': 'subshells are',
  ')': 'subshells are',
  '<<': 'here-documents are',
};
/** Words that open or close compound commands; the simulator does not run those. */
const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  '{',
  '}',
  '!',
]);

function unsupported(line: number, what: string): ShellParseError {
  return new ShellParseError(line, `simulator: ${what} not simulated`);
}

class Lexer {
  private pos = 0;
  line = 1;
  private peeked: Token | null = null;

  constructor(private readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = null;
    return token;
  }

  private read(): Token {
    this.skipBlanks();
    const line = this.line;
    const c = this.text[this.pos];
    if (c === undefined) {
      return { type: 'eof', line };
    }
    if (c === '\n') {
      this.pos += 1;
      this.line += 1;
      // dash counts the newline as read when it complains about it.
      return { type: 'newline', line: this.line };
    }
    const io = /^\d+(?=[<>])/.exec(this.text.slice(this.pos, this.pos + 12));
    if (io) {
      this.pos += io[0].length;
      return { type: 'io', fd: Number(io[0]), line };
    }
    const op = OPERATORS.find((o) => this.text.startsWith(o, this.pos));
    if (op) {
      this.pos += op.length;
      return { type: 'op', op, line };
    }
    return { type: 'word', word: this.readWord(), line };
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t') {
        this.pos += 1;
      } else if (c === '\\' && this.text[this.pos + 1] === '\n') {
        this.pos += 2;
        this.line += 1;
      } else if (c === '#') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') {
          this.pos += 1;
        }
      } else {
        return;
      }
    }
  }

  private readWord(): Word {
    const parts: Word = [];
    const push = (part: WordPart): void => {
      const last = parts[parts.length - 1];
      if (part.kind === 'text' && last?.kind === 'text' && last.quoted === part.quoted) {
        last.text += part.text;
      } else {
        parts.push(part);
      }
    };
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || METACHARS.includes(c)) {
        return parts;
      }
      this.pos += 1;
      if (c === "'") {
        const end = this.text.indexOf("'", this.pos);
        if (end < 0) {
          this.line += countNewlines(this.text.slice(this.pos));
          throw new ShellParseError(this.line, 'Syntax error: Unterminated quoted string');
        }
        const body = this.text.slice(this.pos, end);
        this.line += countNewlines(body);
        push({ kind: 'text', text: body, quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        this.readDoubleQuoted(push);
      } else if (c === '\\') {
        const next = this.text[this.pos];
        if (next === undefined) {
          push({ kind: 'text', text: '\\', quoted: false });
        } else {
          this.pos += 1;
          if (next === '\n') {
            this.line += 1;
          } else {
            push({ kind: 'text', text: next, quoted: true });
          }
        }
      } else if (c === '$') {
        push(this.readParam(false));
      } else if (c === '`') {
        throw unsupported(this.line, 'command substitution is');
      } else {
        push({ kind: 'text', text: c, quoted: false });
      }
    }
  }

  private readDoubleQuoted(push: (part: WordPart) => void): void {
    // An empty "" still makes a word, so push an empty quoted part first.
    push({ kind: 'text', text: '', quoted: true });
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) {
        throw new ShellParseError(this.line, 'Syntax error: Unterminated quoted string');
      }
      this.pos += 1;
      if (c === '"') {
        return;
      }
      if (c === '\\') {
        const next = this.text[this.pos];
        if (next !== undefined && '$`"\\\n'.includes(next)) {
          this.pos += 1;
          if (next === '\n') {
            this.line += 1;
          } else {
            push({ kind: 'text', text: next, quoted: true });
          }
        } else {
          push({ kind: 'text', text: '\\', quoted: true });
        }
      } else if (c === '$') {
        push(this.readParam(true));
      } else if (c === '`') {
        throw unsupported(this.line, 'command substitution is');
      } else {
        if (c === '\n') {
          this.line += 1;
        }
        push({ kind: 'text', text: c, quoted: true });
      }
    }
  }

  private readParam(quoted: boolean): WordPart {
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('(')) {
      throw unsupported(this.line, 'command substitution is');
    }
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*-])\}/.exec(rest);
    if (braced?.[1] !== undefined) {
      this.pos += braced[0].length;
      return { kind: 'param', name: braced[1], quoted };
    }
    if (rest.startsWith('{')) {
      throw unsupported(this.line, 'parameter operators are');
    }
    const plain = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*-])/.exec(rest);
    if (plain) {
      this.pos += plain[0].length;
      return { kind: 'param', name: plain[0], quoted };
    }
    return { kind: 'text', text: '$', quoted };
  }
}

function countNewlines(text: string): number {
  return text.split('\n').length - 1;
}

function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'end of file';
    case 'newline':
      return 'newline';
    case 'op':
      return `"${token.op}"`;
    case 'io':
      return `"${token.fd}"`;
    case 'word':
      return 'word';
  }
}

/** Reads a script one line (one complete command list) at a time. */
export class ScriptParser {
  private readonly lexer: Lexer;

  constructor(text: string) {
    this.lexer = new Lexer(text);
  }

  nextLine(): ParsedLine {
    try {
      return this.parseLine();
    } catch (error) {
      if (error instanceof ShellParseError) {
        return { kind: 'error', line: error.line, message: error.message };
      }
      throw error;
    }
  }

  private parseLine(): ParsedLine {
    const lists: AndOrList[] = [];
    for (;;) {
      const token = this.lexer.peek();
      if (token.type === 'eof') {
        return lists.length > 0 ? { kind: 'lists', lists } : { kind: 'eof' };
      }
      if (token.type === 'newline') {
        this.lexer.next();
        if (lists.length > 0) {
          return { kind: 'lists', lists };
        }
        continue;
      }
      const list = this.parseAndOr();
      lists.push(list);
      const after = this.lexer.peek();
      if (after.type === 'op' && (after.op === ';' || after.op === '&')) {
        list.background = after.op === '&';
        this.lexer.next();
      } else if (after.type !== 'newline' && after.type !== 'eof') {
        throw this.unexpected(after);
      }
    }
  }

  private parseAndOr(): AndOrList {
    const list: AndOrList = { first: this.parseCommand(), rest: [], background: false };
    for (;;) {
      const token = this.lexer.peek();
      if (token.type !== 'op' || (token.op !== '&&' && token.op !== '||')) {
        return list;
      }
      this.lexer.next();
      while (this.lexer.peek().type === 'newline') {
        this.lexer.next();
      }
      list.rest.push({ op: token.op, command: this.parseCommand() });
    }
  }

  private parseCommand(): SimpleCommand {
    const command: SimpleCommand = { words: [], redirects: [], line: this.lexer.peek().line };
    for (;;) {
      const token = this.lexer.peek();
      if (token.type === 'word') {
        this.lexer.next();
        if (command.words.length === 0 && command.redirects.length === 0 && isReserved(token.word)) {
          throw unsupported(token.line, 'compound commands are');
        }
        command.words.push(token.word);
      } else if (token.type === 'io' || (token.type === 'op' && REDIRECTS.includes(token.op))) {
        command.redirects.push(this.parseRedirect());
      } else if (token.type === 'op' && UNSUPPORTED_OPS[token.op] !== undefined) {
        throw unsupported(token.line, UNSUPPORTED_OPS[token.op] ?? token.op);
      } else {
        if (command.words.length === 0 && command.redirects.length === 0) {
          throw this.unexpected(token);
        }
        return command;
      }
    }
  }

  private parseRedirect(): Redirect {
    let fd: number | null = null;
    const first = this.lexer.next();
    let opToken = first;
    if (first.type === 'io') {
      fd = first.fd;
      opToken = this.lexer.next();
    }
    if (opToken.type !== 'op' || !REDIRECTS.includes(opToken.op)) {
      throw this.unexpected(opToken);
    }
    const target = this.lexer.next();
    if (target.type !== 'word') {
      throw this.unexpected(target);
    }
    const op = opToken.op as RedirectOp;
    return { fd: fd ?? (op.startsWith('<') ? 0 : 1), op, target: target.word };
  }

  private unexpected(token: Token): ShellParseError {
    return new ShellParseError(
      token.line,
      token.type === 'eof' ? 'Syntax error: end of file unexpected' : `Syntax error: ${describe(token)} unexpected`,
    );
  }
}

function isReserved(word: Word): boolean {
  const only = word[0];
  return word.length === 1 && only?.kind === 'text' && !only.quoted && RESERVED.has(only.text);
}
