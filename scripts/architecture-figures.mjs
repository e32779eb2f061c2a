#!/usr/bin/env node
// Prints the architecture's figures for a source tree (this checkout unless a folder is given):
//   - source files over 500 lines;
//   - functions over 80 lines, as eslint's max-lines-per-function counts them with its defaults (every line from the
//     function's first to its last, blank lines and comments included; a function inside another counts on its own,
//     and is part of its parent's lines too; immediately invoked function expressions are not counted);
//   - import circles: strongly connected groups of files in the relative-import graph of electron/, shared/ and
//     renderer/ (type-only imports included, since they still tie the files' meanings together; the count of circles
//     left when type-only imports are dropped is printed beside it);
//   - back-up arrows: an import from a lower layer to a higher one (shared/ → anything else, the core → a face or the
//     shell, a face → another face), and in the renderer a feature importing app/ or another feature.
// Usage: node scripts/architecture-figures.mjs [root] [--list]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 80;
const SOURCE_ROOTS = ['electron', 'shared', 'renderer'];
const SOURCE_FILE = /\.(ts|tsx|mts|mjs)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts', '/index.tsx'];

const args = process.argv.slice(2);
const list = args.includes('--list');
const root = resolve(args.find((arg) => !arg.startsWith('--')) ?? process.cwd());

function sourceFiles(dir) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'node_modules' ? [] : sourceFiles(path);
    }
    return SOURCE_FILE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = SOURCE_ROOTS.flatMap((dir) => sourceFiles(join(root, dir)));
const rel = (file) => relative(root, file).split(sep).join('/');
const lineCount = (text) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Each relative import of a file: its target (resolved to a file of the tree) and whether it is type-only. */
function importsOf(file, text) {
  const found = [];
  const patterns = [
    /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]/gm,
    /^\s*import\s+['"](\.[^'"]+)['"]/gm,
    /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  ];
  for (const match of text.matchAll(patterns[0])) {
    found.push({ spec: match[3], typeOnly: match[2] !== undefined });
  }
  for (const match of text.matchAll(patterns[1])) {
    found.push({ spec: match[1], typeOnly: false });
  }
  for (const match of text.matchAll(patterns[2])) {
    found.push({ spec: match[1], typeOnly: false });
  }
  return found.flatMap(({ spec, typeOnly }) => {
    const base = resolve(dirname(file), spec);
    const stem = base.replace(/\.(js|mjs|cjs)$/, '');
    for (const candidate of [...RESOLVE_SUFFIXES.map((s) => base + s), ...RESOLVE_SUFFIXES.map((s) => stem + s)]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        return [{ target: candidate, typeOnly }];
      }
    }
    return [];
  });
}

/** Tarjan's strongly connected components; a group of two or more files is a circle (as is a file importing itself). */
function circles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (start) => {
    // Iterative, so that a deep import chain cannot overflow the stack.
    const work = [[start, 0]];
    indices.set(start, index);
    low.set(start, index);
    index += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      const edges = [...(graph.get(node) ?? [])];
      if (next < edges.length) {
        frame[1] += 1;
        const target = edges[next];
        if (!indices.has(target)) {
          indices.set(target, index);
          low.set(target, index);
          index += 1;
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), indices.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === indices.get(node)) {
        const group = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          group.push(member);
        } while (member !== node);
        if (group.length > 1 || graph.get(node)?.has(node)) {
          groups.push(group.sort());
        }
      }
    }
  };
  for (const node of graph.keys()) {
    if (!indices.has(node)) {
      visit(node);
    }
  }
  return groups;
}

/** The layer a file belongs to, lowest first; faces and the shell share a rank, and may not import each other. */
function layerOf(path) {
  if (path.startsWith('shared/')) {
    return { name: 'shared', rank: 0 };
  }
  if (path.startsWith('electron/core/')) {
    return { name: 'core', rank: 1 };
  }
  // The simulator is the vehicle's side beside the core: it may use the core; the core may not use it.
  if (path.startsWith('electron/sim/')) {
    return { name: 'electron/sim', rank: 1.5 };
  }
  const face = /^electron\/([^/]+)\//.exec(path);
  if (face) {
    return { name: `electron/${face[1]}`, rank: 2 };
  }
  if (path.startsWith('renderer/')) {
    return { name: 'renderer', rank: 2 };
  }
  return { name: 'other', rank: 3 };
}

/** In the renderer: a feature's folder (features/<name>), or the shell (app/); null for the rest. */
function rendererPart(path) {
  const feature = /^renderer\/features\/([^/]+)\//.exec(path);
  if (feature) {
    return `features/${feature[1]}`;
  }
  return path.startsWith('renderer/app/') ? 'app' : null;
}

function backUpArrow(from, to) {
  const a = layerOf(from);
  const b = layerOf(to);
  if (b.rank > a.rank || (a.rank === 2 && b.rank === 2 && a.name !== b.name)) {
    return `${a.name} → ${b.name}`;
  }
  const fromPart = rendererPart(from);
  const toPart = rendererPart(to);
  if (fromPart?.startsWith('features/') && toPart === 'app') {
    return 'renderer feature → app';
  }
  if (fromPart?.startsWith('features/') && toPart?.startsWith('features/') && fromPart !== toPart) {
    return 'renderer feature → another feature';
  }
  return null;
}

async function longFunctions() {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.mjs'],
        languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
        linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
        rules: { 'max-lines-per-function': ['error', { max: MAX_FUNCTION_LINES }] },
      },
    ],
  });
  const results = await eslint.lintFiles(files);
  return results.flatMap((result) =>
    result.messages
      .filter((message) => message.ruleId === 'max-lines-per-function')
      .map((message) => ({
        where: `${rel(result.filePath)}:${message.line}`,
        lines: Number(/\((\d+)\)/.exec(message.message)?.[1] ?? 0),
        what: /^(.*?) has too many lines/.exec(message.message)?.[1] ?? 'function',
      })),
  );
}

const texts = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
const bigFiles = files
  .map((file) => ({ file: rel(file), lines: lineCount(texts.get(file)) }))
  .filter(({ lines }) => lines > MAX_FILE_LINES)
  .sort((a, b) => b.lines - a.lines);

const graph = new Map();
const runtimeGraph = new Map();
const arrows = [];
for (const file of files) {
  const from = rel(file);
  graph.set(from, new Set());
  runtimeGraph.set(from, new Set());
  for (const { target, typeOnly } of importsOf(file, texts.get(file))) {
    const to = rel(target);
    graph.get(from).add(to);
    if (!typeOnly) {
      runtimeGraph.get(from).add(to);
    }
    const arrow = backUpArrow(from, to);
    if (arrow) {
      arrows.push({ from, to, arrow });
    }
  }
}
const allCircles = circles(graph);
const runtimeCircles = circles(runtimeGraph);
const functions = (await longFunctions()).sort((a, b) => b.lines - a.lines);

const arrowKinds = new Map();
for (const { arrow } of arrows) {
  arrowKinds.set(arrow, (arrowKinds.get(arrow) ?? 0) + 1);
}

console.log(`Architecture figures for ${root} (${files.length} source files in ${SOURCE_ROOTS.join('/, ')}/)`);
console.log(`  source files over ${MAX_FILE_LINES} lines:   ${bigFiles.length}`);
console.log(`  functions over ${MAX_FUNCTION_LINES} lines:      ${functions.length}`);
console.log(
  `  import circles:             ${allCircles.length} (${allCircles.flat().length} files; ${runtimeCircles.length} without type-only imports)`,
);
console.log(`  back-up arrows:             ${arrows.length}`);
for (const [kind, count] of [...arrowKinds].sort((a, b) => b[1] - a[1])) {
  console.log(`    ${kind}: ${count}`);
}
if (list) {
  console.log('\nFiles over the limit:');
  bigFiles.forEach(({ file, lines }) => console.log(`  ${lines}\t${file}`));
  console.log('\nFunctions over the limit:');
  functions.forEach(({ where, lines, what }) => console.log(`  ${lines}\t${where}\t${what}`));
  console.log('\nImport circles:');
  allCircles.forEach((group) => console.log(`  ${group.join(' ↔ ')}`));
  console.log('\nBack-up arrows:');
  arrows.forEach(({ from, to, arrow }) => console.log(`  ${from} → ${to}\t(${arrow})`));
}
