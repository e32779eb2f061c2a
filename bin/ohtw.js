#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout: tsx compiles on the fly, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
