import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/**
 * Where each runtime dependency may run. Adding a package forces a decision here: an unlisted one fails,
 * so nothing Node-only can slip into the renderer and nothing DOM-only into the core.
 */
const PACKAGE_RUNTIME: Record<string, 'std' | 'node' | 'dom'> = {
  zod: 'std',
  'better-sqlite3': 'node',
  serialport: 'node',
  ssh2: 'node',
  ws: 'node',
  // The team server's PostgreSQL client.
  pg: 'node',
  react: 'dom',
  'react-dom': 'dom',
  'react-is': 'dom',
  recharts: 'dom',
  zustand: 'dom',
  // A DOM implemented in Node: what the report charts are drawn in, inside their worker thread.
  'happy-dom': 'node',
  // The Terminal tab's screen (and its fitting and search) and the player of recorded sessions.
  '@xterm/xterm': 'dom',
  '@xterm/addon-fit': 'dom',
  '@xterm/addon-search': 'dom',
  // Line diffs of a file against its edit or its backup: plain code, used by the core.
  diff: 'std',
};

/**
 * The one place the core runs DOM packages: the worker that draws report charts with recharts, inside a DOM of its
 * own (happy-dom) set up as that thread's globals, so the core's own thread never sees a window.
 */
const DOM_SANDBOXES = new Set(['electron/core/logbook/report/chartWorker.mjs']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) {
      return sourceFiles(path);
    }
    return /\.(tsx?|mjs)$/.test(name) ? [path] : [];
  });
}

function importedPackages(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^'.][^']*)'/gm)].map((m) => {
    const spec = m[1] ?? '';
    return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? '');
  });
}

/** Every module a file imports by a relative path (static, export-from and dynamic), as a path from the root. */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']*)'/gm)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/\bimport\(\s*'(\.[^']*)'\s*\)/g)].map((m) => m[1] ?? ''),
  ];
  return specs.map((spec) => relative(ROOT, join(ROOT, dirname(file), spec)));
}

/**
 * What the CLI may take from the core besides the contract: the composition root, the application layout and
 * folders, the ports it fills; `ohtw demo` and `ohtw sim` also start the simulated fleet.
 */
const CLI_CORE_IMPORTS = [
  /^electron\/core\/createCore$/,
  /^electron\/core\/paths\/(appLayout|dataDir)$/,
  /^electron\/core\/ports\/\w+$/,
];
const CLI_SIM_FILES = new Set(['electron/cli/commands/demo.ts', 'electron/cli/commands/sim.ts']);
/** What a renderer file imports, as paths under renderer/ (`features/unit/UnitPage`), relative imports only. */
function rendererImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:^\s*(?:import|export)\s[^'"]*?from\s+|^\s*import\s+|import\()'(\.[^']*)'/gm)];
  return specs.map((m) => relative(join(ROOT, 'renderer'), join(ROOT, dirname(file), m[1] ?? '')));
}

/**
 * Renderer feature files that import another feature or the shell: what the lint rule exempts, and only that. The
 * unit page still assembles its tabs from other features, and a few widgets are shared between pages.
 */
function crossFeatureImporters(): string[] {
  return sourceFiles('renderer/features').filter((file) => {
    const own = file.split('/')[2];
    return rendererImports(file).some(
      (target) => target.startsWith('app/') || (target.startsWith('features/') && target.split('/')[1] !== own),
    );
  });
}

describe('architecture', () => {
  it('lets the CLI reach the core only through the contract', () => {
    const offenders = sourceFiles('electron/cli').flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith('electron/core/') || target.startsWith('electron/sim/'))
        .filter((target) => !CLI_CORE_IMPORTS.some((allowed) => allowed.test(target)))
        .filter((target) => !(CLI_SIM_FILES.has(file) && target === 'electron/sim/SimServer'))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('classifies every runtime dependency as std, node or dom', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(Object.keys(PACKAGE_RUNTIME).sort());
  });

  it('keeps Node-only packages out of the renderer and shared/, and DOM packages out of the core', () => {
    const offenders: string[] = [];
    const check = (dir: string, allowed: ('std' | 'node' | 'dom')[]): void => {
      for (const file of sourceFiles(dir)) {
        for (const name of importedPackages(file)) {
          const runtime = PACKAGE_RUNTIME[name];
          const sandboxed = DOM_SANDBOXES.has(file) && runtime === 'dom';
          if (runtime !== undefined && !allowed.includes(runtime) && !sandboxed) {
            offenders.push(`${relative(ROOT, join(ROOT, file))} imports ${name} (${runtime})`);
          }
        }
      }
    };
    check('shared', ['std']);
    check('renderer', ['std', 'dom']);
    check('electron/core', ['std', 'node']);
    expect(offenders).toEqual([]);
  });

  it('keeps renderer features apart: platform/, components/ and i18n/ below them, the shell above them', async () => {
    const config = (await import(join(ROOT, 'eslint.config.js'))) as { FEATURE_IMPORTS_TO_UNDO: string[] };
    expect(crossFeatureImporters().sort(), 'the exemptions only shrink').toEqual(
      [...config.FEATURE_IMPORTS_TO_UNDO].sort(),
    );
    const upward = ['renderer/platform', 'renderer/components', 'renderer/i18n'].flatMap((dir) =>
      sourceFiles(dir).filter((file) =>
        rendererImports(file).some((target) => target.startsWith('features/') || target.startsWith('app/')),
      ),
    );
    expect(upward).toEqual([]);
  });

  it('makes lint refuse imports that cross a boundary', async () => {
    // The probes are not files of the project, so they are linted without type information: only the import rules matter.
    const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
    const cases: [string, string, RegExp][] = [
      [
        'electron/core/units/probe.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
        /never imports electron|Only electron\/main/,
      ],
      [
        'renderer/features/probe.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        /Node built-ins/,
      ],
      [
        'renderer/features/probe2.ts',
        "import { createCore } from '../../electron/core/createCore';\nexport const c = createCore;\n",
        /only through the API contract/,
      ],
      [
        'renderer/features/fleet/probe.ts',
        "import { UnitPage } from '../unit/UnitPage';\nexport const u = UnitPage;\n",
        /does not import another feature/,
      ],
      [
        'renderer/features/fleet/probe2.ts',
        "import { FEATURE_PAGES } from '../../app/pages';\nexport const p = FEATURE_PAGES;\n",
        /does not import the app shell/,
      ],
      ['shared/probe.ts', "import { join } from 'node:path';\nexport const j = join;\n", /Node built-ins/],
      [
        'electron/cli/commands/probe.ts',
        "import { applyWrite } from '../../core/rs485/safeWrite';\nexport const w = applyWrite;\n",
        /only through the contract/,
      ],
      [
        'electron/preload/probe.ts',
        "import { createCore } from '../core/createCore';\nexport const c = createCore;\n",
        /only knows the contract/,
      ],
    ];
    for (const [filePath, text, message] of cases) {
      const [result] = await eslint.lintText(text, { filePath: join(ROOT, filePath) });
      const messages = (result?.messages ?? [])
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => m.message);
      expect(messages.join('\n'), filePath).toMatch(message);
    }
  });

  it('makes lint refuse a feature importing another feature, the composition root or the simulator', async () => {
    const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
    const boundaryMessages = async (filePath: string, text: string): Promise<string[]> => {
      const [result] = await eslint.lintText(text, { filePath: join(ROOT, filePath) });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'ohtw/import-boundaries').map((m) => m.message);
    };
    const refused: [string, string][] = [
      // A feature's service from another feature, however deep the importing file lies.
      [
        'electron/core/files/probe.ts',
        "import { BackupService } from '../backup/BackupService';\nexport const b = BackupService;\n",
      ],
      ['electron/core/logbook/report/probe.ts', "export { renderReport } from '../../procedures/report/report';\n"],
      ['electron/core/rs485/service/probe.ts', "export const t = import('../../telemetry/TelemetryService');\n"],
      [
        'electron/core/terminal/probe.ts',
        "import { createCore } from '../createCore';\nexport const c = createCore;\n",
      ],
      // The simulator, from a feature, from a shared service and from a CLI command other than demo and sim.
      [
        'electron/core/rs485/probe.ts',
        "import { startSimFleet } from '../../sim/SimServer';\nexport const s = startSimFleet;\n",
      ],
      [
        'electron/core/units/probe.ts',
        "import { startSimFleet } from '../../sim/SimServer';\nexport const s = startSimFleet;\n",
      ],
      [
        'electron/cli/commands/probe.ts',
        "import { startSimFleet } from '../../sim/SimServer';\nexport const s = startSimFleet;\n",
      ],
      // The simulator is the vehicle's side: it never reaches into a face.
      ['electron/sim/probe.ts', "import { openCore } from '../cli/openCore';\nexport const o = openCore;\n"],
    ];
    for (const [filePath, text] of refused) {
      expect((await boundaryMessages(filePath, text)).join('\n'), filePath).toMatch(
        /only through ports and shared services|Only the demo and sim commands|never a face/,
      );
    }
    const accepted: [string, string][] = [
      // Ports, shared services, the feature's own files and shared/.
      [
        'electron/core/files/probe.ts',
        "import type { BackupFileAccess } from '../ports/BackupFileAccess';\nexport type B = BackupFileAccess;\n",
      ],
      [
        'electron/core/logbook/probe.ts',
        "import { esc } from '../util/reportText';\nimport { LogbookService } from './LogbookService';\nexport const e = [esc, LogbookService];\n",
      ],
      [
        'electron/core/rs485/probe.ts',
        "import { RUNBOOK } from '../diagnostics/runbook';\nimport type { UnitService } from '../units/UnitService';\nexport const r = RUNBOOK;\nexport type U = UnitService;\n",
      ],
      // The composition root names every feature; the simulator's own files and the demo command use the simulator.
      [
        'electron/core/features.ts',
        "import { createTeamFeature } from './team/teamFeature';\nexport const t = createTeamFeature;\n",
      ],
      ['electron/sim/probe.ts', "import { startSimFleet } from './SimServer';\nexport const s = startSimFleet;\n"],
      ['electron/sim/probe2.ts', "import type { Clock } from '../core/ports/Clock';\nexport type C = Clock;\n"],
      [
        'electron/cli/commands/demo.ts',
        "import { startSimFleet } from '../../sim/SimServer';\nexport const s = startSimFleet;\n",
      ],
    ];
    for (const [filePath, text] of accepted) {
      expect(await boundaryMessages(filePath, text), filePath).toEqual([]);
    }
  });
});
