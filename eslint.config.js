// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import { importBoundaries } from './eslint/rules/importBoundaries.js';
import { ohtwPlugin } from './eslint/rules/quotedShell.js';

const ohtw = { rules: { ...ohtwPlugin.rules, 'import-boundaries': importBoundaries } };

/**
 * The core's features: each answers its slice of the contract and may import only the ports (electron/core/ports),
 * the shared services (api, history, settings, units, diagnostics, streams, transport, session, paths, util) and
 * shared/, never another feature, the composition root or the simulator.
 */
const CORE_FEATURES = [
  'app',
  'backup',
  'files',
  'logbook',
  'logs',
  'procedures',
  'rs485',
  'team',
  'telemetry',
  'terminal',
];
/** Where the core is assembled: only these name every feature. */
const CORE_COMPOSITION = [
  'electron/core/createCore.ts',
  'electron/core/sharedServices.ts',
  'electron/core/features.ts',
  'electron/core/featureRegistry.ts',
];
/**
 * Crossings between features that remain, each named: they go once what they share moves to a shared service.
 * The backup profile (which paths, secrets and services a unit has) and the live gates serve the Files tab's edits;
 * the RS485 parameter sets are kept by backups; the team sync reads backup locations and procedure runs' rows.
 */
const KNOWN_CROSSINGS = {
  backup: ['electron/core/rs485/paramsBackup.ts'],
  files: ['electron/core/backup/profile/', 'electron/core/procedures/gates/'],
  team: ['electron/core/backup/replica/backupLocations.ts', 'electron/core/procedures/runner/runStore.ts'],
};
const featureZones = CORE_FEATURES.map((feature) => ({
  files: `electron/core/${feature}/`,
  forbid: [
    ...CORE_FEATURES.filter((other) => other !== feature).map((other) => `electron/core/${other}/`),
    ...CORE_COMPOSITION,
    'electron/sim/',
  ],
  allow: KNOWN_CROSSINGS[/** @type {keyof typeof KNOWN_CROSSINGS} */ (feature)] ?? [],
  message: 'A feature reaches other features only through ports and shared services (their calls, lent ports)',
}));
/**
 * The simulator (electron/sim) stands beside the core as the vehicle's side: it is used by the demo and sim commands
 * and by tests; nothing else in electron/ imports it, and it imports the core's ports and transports, never a face.
 */
const simZones = [
  {
    files: 'electron/',
    except: ['electron/sim/', 'electron/cli/commands/demo.ts', 'electron/cli/commands/sim.ts'],
    forbid: ['electron/sim/'],
    message: 'Only the demo and sim commands and tests import the simulator; the core never does',
  },
  {
    files: 'electron/sim/',
    forbid: ['electron/cli/', 'electron/host/', 'electron/main/', 'electron/preload/', 'renderer/'],
    message: 'The simulator is the vehicle side: it uses the core and shared/, never a face',
  },
];

/** Node built-ins, by bare and node: names, so that the boundary rules can ban them outright. */
const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'stream/promises',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];
const nodeBuiltinPatterns = [{ group: ['node:*'], message: 'Node built-ins are not allowed in this layer.' }];
const nodeBuiltinPaths = NODE_BUILTINS.map((name) => ({
  name,
  message: 'Node built-ins are not allowed in this layer.',
}));
const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
const nodeFacePatterns = [
  { group: ['electron', 'electron/*'], message: 'The core never imports electron.' },
  {
    group: ['**/main/**', '**/preload/**', '**/renderer/**'],
    message: 'The core does not reach into the shell or the renderer.',
  },
];
/**
 * The CLI is a client of the contract, as the renderer is: of the core it may import the composition root, the
 * application's layout and folders, and the ports it fills (the logger); `extra` adds a file's own exceptions.
 */
const CLI_CORE_ALLOWED = ['createCore', 'paths/appLayout', 'paths/dataDir', 'ports/[A-Za-z]+'];
const cliThroughContract = (extra = []) => ({
  regex: `(^|/)core/(?!(${[...CLI_CORE_ALLOWED, ...extra].join('|')})$)`,
  message:
    'The CLI reaches the core only through the contract (core.dispatch, core.events): of the core it imports the ' +
    'composition root, the app layout and folders, and the ports.',
});
const rendererPaths = [...nodeBuiltinPaths, noElectron];
const rendererPatterns = [
  ...nodeBuiltinPatterns,
  { group: ['electron/*'], message: 'The renderer never imports electron.' },
  { group: ['**/electron/**', '**/test/**'], message: 'The renderer reaches the core only through the API contract.' },
];
/**
 * Renderer feature files that still import another feature (the unit page's tabs, widgets shared between pages).
 * The list only shrinks: the architecture test fails when a file here no longer needs its exemption.
 */
export const FEATURE_IMPORTS_TO_UNDO = [
  'renderer/features/bus/BusHealth.tsx',
  'renderer/features/fleet/FleetPage.tsx',
  'renderer/features/fleet/LastChange.tsx',
  'renderer/features/fleet/UnitFinding.tsx',
  'renderer/features/logs/logsStore.ts',
  'renderer/features/procedures/RunPage.tsx',
  'renderer/features/unit/HistoryList.tsx',
  'renderer/features/unit/UnitPage.tsx',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', '.tsbuild/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  // shared/: pure. No Node, no DOM, no electron, nothing of the other layers.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltinPaths, noElectron],
          patterns: [
            ...nodeBuiltinPatterns,
            {
              group: ['**/electron/**', '**/renderer/**', '**/test/**'],
              message: 'shared/ is pure: it imports nothing from other layers.',
            },
            {
              group: ['ssh2', 'serialport', 'better-sqlite3', 'ws', 'react', 'react-dom'],
              message: 'shared/ may use zod only.',
            },
          ],
        },
      ],
    },
  },
  // The core runs under plain Node: it never imports electron, nor the shell, nor the renderer.
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts', 'electron/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: nodeFacePatterns }],
    },
  },
  // The CLI, besides, enters the core through the contract only.
  {
    files: ['electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [...nodeFacePatterns, cliThroughContract()] },
      ],
    },
  },
  // Shell text for the vehicle is built with sh`…` or shellQuote: a value never becomes syntax. The simulator answers
  // commands (it is the vehicle's side) and sends none. The batch framers (serial and parallel) check their keys and
  // nonce against patterns and quote each probe as one word (probeBody) in the form the simulator parses back. The backup scripts assemble words
  // their own helpers quoted; they come under the rule once those helpers return ShellText.
  {
    files: ['electron/core/**/*.ts'],
    ignores: [
      'electron/core/transport/batch.ts',
      'electron/core/transport/parallelBatch.ts',
      'electron/core/backup/**',
    ],
    plugins: { ohtw },
    rules: { 'ohtw/quoted-shell': 'error' },
  },
  // Features import ports and shared services only; nothing but the demo and sim commands imports the simulator.
  {
    files: ['electron/**/*.ts'],
    plugins: { ohtw },
    rules: { 'ohtw/import-boundaries': ['error', { zones: [...featureZones, ...simZones] }] },
  },
  // The preload is a bridge: electron's renderer half and the contract, nothing else.
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths,
          patterns: [
            ...nodeBuiltinPatterns,
            {
              group: ['**/core/**', '**/main/**', '**/renderer/**', '**/host/**', '**/cli/**'],
              message: 'The preload only knows the contract.',
            },
          ],
        },
      ],
    },
  },
  // The renderer is a web page: no Node built-ins, no electron (not even types), no core.
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: rendererPaths, patterns: rendererPatterns }],
    },
  },
  // A renderer feature is one folder (flat, so `../x` is always another one): it reaches others through the contract
  // or a store in platform/, and never the shell, which is what assembles the features. The imports between features
  // still to be undone are listed in test/node/architecture/boundaries.test.ts.
  {
    files: ['renderer/features/**/*.ts', 'renderer/features/**/*.tsx'],
    ignores: FEATURE_IMPORTS_TO_UNDO,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: rendererPaths,
          patterns: [
            ...rendererPatterns,
            {
              regex: '^\\.\\./[^.]',
              message: 'A renderer feature does not import another feature: share through the contract or platform/.',
            },
            {
              regex: '^\\.\\./\\.\\./app(/|$)',
              message: 'A renderer feature does not import the app shell: what features share lives in platform/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests read JSON that the CLI and the API print, then check it with schemas and matchers.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['bench/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
