/*
 * Syntax colouring for the files a vehicle keeps: YAML, .env and INI-like settings, systemd units and udev rules,
 * JSON and shell scripts. A line is cut into tokens by a few rules (comment, key, string, number, constant); it is
 * colouring for reading, not parsing, so anything it does not know is plain text.
 */

export type TokenKind = 'comment' | 'key' | 'string' | 'number' | 'constant' | 'section' | 'plain';
export type Token = { kind: TokenKind; text: string };

export type Language = 'yaml' | 'settings' | 'json' | 'shell' | 'plain';

export function languageOf(path: string): Language {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/\.ya?ml$/.test(name)) {
    return 'yaml';
  }
  if (/\.json$/.test(name)) {
    return 'json';
  }
  if (/\.(sh|bash)$/.test(name)) {
    return 'shell';
  }
  if (/(^\.env|\.env$|\.(conf|ini|cfg|service|timer|socket|rules|txt|toml)$)/.test(name) || name === 'version') {
    return 'settings';
  }
  return 'plain';
}

const VALUE_RULES: [TokenKind, RegExp][] = [
  ['string', /^("(?:[^"\\]|\\.)*"?|'[^']*'?)/],
  ['number', /^-?(0x[0-9a-f]+|\d+(\.\d+)?)\b/i],
  ['constant', /^(true|false|null|yes|no|on|off)\b/i],
];

function valueTokens(text: string, out: Token[]): void {
  let rest = text;
  while (rest !== '') {
    const comment = /^\s#.*/.exec(rest);
    if (comment) {
      out.push({ kind: 'comment', text: comment[0] });
      return;
    }
    let matched = false;
    for (const [kind, rule] of VALUE_RULES) {
      const found = rule.exec(rest);
      if (found && found[0] !== '') {
        out.push({ kind, text: found[0] });
        rest = rest.slice(found[0].length);
        matched = true;
        break;
      }
    }
    if (!matched) {
      const plain = /^[^"'\s#0-9a-z-]*[\s\S]?/i.exec(rest)?.[0] ?? rest;
      const word = /^[a-z_][\w.-]*/i.exec(rest)?.[0];
      const piece = word ?? plain;
      const last = out.at(-1);
      if (last?.kind === 'plain') {
        last.text += piece;
      } else {
        out.push({ kind: 'plain', text: piece });
      }
      rest = rest.slice(piece.length);
    }
  }
}

/** The tokens of one line in the file's language. */
export function tokenizeLine(line: string, language: Language): Token[] {
  if (language === 'plain') {
    return [{ kind: 'plain', text: line }];
  }
  const out: Token[] = [];
  if (/^\s*(#|;|\/\/)/.test(line)) {
    return [{ kind: 'comment', text: line }];
  }
  if (language === 'settings' && /^\s*\[[^\]]*\]\s*$/.test(line)) {
    return [{ kind: 'section', text: line }];
  }
  const key =
    language === 'yaml'
      ? /^(\s*(?:-\s+)?)([^\s:#'"][^:#]*?)(\s*:)(?=\s|$)/.exec(line)
      : language === 'json'
        ? /^(\s*)("(?:[^"\\]|\\.)*")(\s*:)/.exec(line)
        : /^(\s*(?:export\s+)?)([A-Za-z_][\w.-]*)(\s*=)/.exec(line);
  if (key) {
    out.push(
      { kind: 'plain', text: key[1] ?? '' },
      { kind: 'key', text: key[2] ?? '' },
      { kind: 'plain', text: key[3] ?? '' },
    );
    valueTokens(line.slice(key[0].length), out);
  } else {
    valueTokens(line, out);
  }
  return out.filter((token) => token.text !== '');
}
