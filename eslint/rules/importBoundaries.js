// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * ohtw/import-boundaries: which folders a file may import from, judged on the path an import resolves to (not on how
 * its specifier is spelled), so that a folder is named once however deep the importing file lies.
 *
 * Options: `{ zones: [{ files, forbid, except?, allow?, message }] }`, paths relative to the project root and ending
 * in '/' for folders: a file under `files` (and not under one of `except`) may not import anything under `forbid`
 * but what is under one of `allow` (a crossing known and named, to be moved out).
 */

/** @param {string} path */
const toPosix = (path) => path.split(sep).join('/');

/** @param {string} path @param {string} prefix */
const under = (path, prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix);

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports inside the boundaries between layers and features, by resolved path.' },
    schema: [
      {
        type: 'object',
        properties: {
          zones: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                files: { type: 'string' },
                forbid: { type: 'array', items: { type: 'string' } },
                except: { type: 'array', items: { type: 'string' } },
                allow: { type: 'array', items: { type: 'string' } },
                message: { type: 'string' },
              },
              required: ['files', 'forbid', 'message'],
              additionalProperties: false,
            },
          },
        },
        required: ['zones'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    /** @type {{ zones: { files: string; forbid: string[]; except?: string[]; allow?: string[]; message: string }[] }} */
    const { zones } = context.options[0];
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    const active = zones.filter(
      (zone) => under(file, zone.files) && !(zone.except ?? []).some((prefix) => under(file, prefix)),
    );
    if (active.length === 0) {
      return {};
    }
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) {
        return;
      }
      const target = toPosix(relative(root, resolve(dirname(context.filename), source)));
      // A specifier names a file without its extension, or a folder by its index.
      const spellings = [target, `${target}.ts`, `${target}.tsx`, `${target}/`];
      for (const zone of active) {
        const hit = zone.forbid.find((prefix) => spellings.some((path) => under(path, prefix)));
        const allowed = (zone.allow ?? []).some((prefix) => spellings.some((path) => under(path, prefix)));
        if (hit !== undefined && !under(file, hit) && !allowed) {
          context.report({ node, message: `${zone.message} (${file} imports ${target})` });
          return;
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};
