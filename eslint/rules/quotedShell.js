// @ts-check
import ts from 'typescript';

/**
 * ohtw/quoted-shell: shell text for the vehicle is built with the sh`…` tag (electron/core/transport/shell.ts) or
 * from values passed through shellQuote/shellWords, never by pasting a value into a template or a `+` chain. A
 * service name like `x;touch /tmp/INJECTED;#` pasted into `systemctl show ${name}` runs `touch` on the vehicle.
 *
 * Shell text is recognised by its start (a program the workstation runs on a vehicle, or sudo) or by shell syntax
 * in it (&&, ||, $(…), redirections). In such text an interpolation is accepted only when it cannot carry syntax:
 * a literal, a call to a quoting helper, an sh`…` template, both branches of a conditional that are, and (with type
 * information) a number, a string literal type or ShellText.
 */

/** Programs whose name at the start of a template makes it shell text. */
const PROGRAMS = [
  'sudo',
  'sh',
  'bash',
  'env',
  'exec',
  'systemctl',
  'journalctl',
  'cat',
  'ls',
  'stat',
  'df',
  'du',
  'find',
  'tar',
  'curl',
  'wget',
  'ping',
  'ip',
  'ss',
  'date',
  'sqlite3',
  'python3',
  'printf',
  'echo',
  'test',
  'mktemp',
  'chown',
  'chmod',
  'mv',
  'rm',
  'cp',
  'mkdir',
  'ln',
  'touch',
  'kill',
  'timeout',
  'command',
  'head',
  'tail',
  'grep',
  'awk',
  'sed',
  'wc',
  'readlink',
  'sha256sum',
  'if',
  'for',
  'while',
  'true',
  'false',
  'set',
  'trap',
  'cd',
  'tee',
  'sync',
  'uname',
  'hostname',
  'ps',
  'free',
  'uptime',
  'sysctl',
  'logrotate',
  'iptables',
  'apt',
  'apt-get',
];
const STARTS_AS_SHELL = new RegExp(`^\\s*(?:${PROGRAMS.map((p) => p.replace(/[-]/g, '\\-')).join('|')})(?:\\s|$)`);
/** "curl failed (exit 7)", "systemctl exited 1": a program named in a sentence, not a command. */
const SENTENCE_AFTER_PROGRAM = new RegExp(
  `^\\s*(?:${PROGRAMS.map((p) => p.replace(/[-]/g, '\\-')).join('|')})\\s+(?:failed|exited|answered|said|could|did|does|is|was|timed|not|on)\\b`,
);
/** Where text is a message for a person: an error's text, or a value named as one. */
const MESSAGE_NAME =
  /^(?:message|reason|detail|why|summary|note|label|title|text|hint|arrow)$|(?:Message|Reason|Text)$/;
const SHELL_SYNTAX = /&&|\|\||\$\(|\d>&\d|\d?>\s*\/dev\/null|;\s*(?:then|do|fi|done)\b/;

/** Types whose values cannot carry shell syntax: numbers, booleans and string literal types written in the code. */
const SAFE_TYPES =
  ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.StringLiteral;

/** @param {string} text */
function looksLikeShell(text) {
  return (STARTS_AS_SHELL.test(text) && !SENTENCE_AFTER_PROGRAM.test(text)) || SHELL_SYNTAX.test(text);
}

/**
 * True when the expression is a message for a person rather than a command: the argument of an Error's
 * constructor, or the value given to a variable, property or assignment named like a message.
 * @param {any} node
 */
function isMessage(node) {
  let current = node;
  while (current.parent) {
    const parent = current.parent;
    switch (parent.type) {
      case 'NewExpression':
        return parent.callee.type === 'Identifier' && /Error$|^RegExp$/.test(parent.callee.name);
      case 'VariableDeclarator':
        return parent.id.type === 'Identifier' && MESSAGE_NAME.test(parent.id.name);
      case 'Property':
        return parent.key.type === 'Identifier' && MESSAGE_NAME.test(parent.key.name);
      case 'AssignmentExpression':
        return parent.left.type === 'Identifier' && MESSAGE_NAME.test(parent.left.name);
      case 'ConditionalExpression':
      case 'LogicalExpression':
      case 'TemplateLiteral':
      case 'BinaryExpression':
      case 'TSAsExpression':
        current = parent;
        continue;
      default:
        return false;
    }
  }
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
export const quotedShellRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Shell text is built with sh`…` or shellQuote, never from a pasted value' },
    schema: [
      {
        type: 'object',
        properties: {
          quoters: { type: 'array', items: { type: 'string' } },
          tags: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unquoted:
        'Unquoted value in shell text: build the command with sh`…` or pass the value through shellQuote (a value must never become syntax).',
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const quoters = new Set(options.quoters ?? ['shellQuote', 'shellWords']);
    const tags = new Set(options.tags ?? ['sh']);
    const services = context.sourceCode.parserServices;
    const checker = services?.program?.getTypeChecker();

    /** @param {any} node */
    function calleeName(node) {
      if (node.type === 'Identifier') {
        return node.name;
      }
      if (node.type === 'MemberExpression' && node.property.type === 'Identifier') {
        return node.property.name;
      }
      return undefined;
    }

    /** @param {any} node */
    function safeByType(node) {
      if (!checker || !services?.esTreeNodeToTSNodeMap) {
        return false;
      }
      const type = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));
      const parts = type.isUnion() ? type.types : [type];
      return parts.every((part) => {
        if ((part.getFlags() & SAFE_TYPES) !== 0) {
          return true;
        }
        return /\bShellText\b/.test(checker.typeToString(part));
      });
    }

    /** @param {any} node @returns {boolean} */
    function isSafe(node) {
      switch (node.type) {
        case 'Literal':
          return true;
        case 'TemplateLiteral':
          return node.expressions.length === 0 || (!looksLikeShell(textOf(node)) && node.expressions.every(isSafe));
        case 'TaggedTemplateExpression':
          return tags.has(calleeName(node.tag) ?? '');
        case 'CallExpression':
          return quoters.has(calleeName(node.callee) ?? '') || safeByType(node);
        case 'ConditionalExpression':
          return isSafe(node.consequent) && isSafe(node.alternate);
        case 'LogicalExpression':
          return isSafe(node.left) && isSafe(node.right);
        case 'TSAsExpression':
        case 'TSNonNullExpression':
          return isSafe(node.expression);
        default:
          return safeByType(node);
      }
    }

    /** @param {any} node */
    function textOf(node) {
      return node.quasis.map((/** @type {any} */ q) => q.value.cooked ?? q.value.raw).join(' ');
    }

    /** The string pieces of a `+` chain, and the values between them. @param {any} node @param {any[]} values */
    function flatten(node, values) {
      if (node.type === 'BinaryExpression' && node.operator === '+') {
        return `${flatten(node.left, values)}${flatten(node.right, values)}`;
      }
      if (node.type === 'Literal' && typeof node.value === 'string') {
        return node.value;
      }
      if (node.type === 'TemplateLiteral') {
        values.push(...node.expressions);
        return textOf(node);
      }
      values.push(node);
      return ' ';
    }

    return {
      TemplateLiteral(node) {
        if (node.parent.type === 'TaggedTemplateExpression' || node.expressions.length === 0) {
          return;
        }
        if (!looksLikeShell(textOf(node)) || isMessage(node)) {
          return;
        }
        for (const expression of node.expressions) {
          if (!isSafe(expression)) {
            context.report({ node: expression, messageId: 'unquoted' });
          }
        }
      },
      BinaryExpression(node) {
        if (node.operator !== '+' || (node.parent.type === 'BinaryExpression' && node.parent.operator === '+')) {
          return;
        }
        /** @type {any[]} */
        const values = [];
        if (!looksLikeShell(flatten(node, values)) || isMessage(node)) {
          return;
        }
        for (const value of values) {
          if (value.type !== 'TemplateLiteral' && !isSafe(value)) {
            context.report({ node: value, messageId: 'unquoted' });
          }
        }
      },
    };
  },
};

export const ohtwPlugin = { rules: { 'quoted-shell': quotedShellRule } };
