import { z } from 'zod';

/**
 * Zod compiles fast parsers with `new Function` when it may, and finds out by trying while it builds each object
 * schema. Our CSP forbids eval, so the try throws, and Chromium reports it as a CSP violation although zod swallows
 * it. Turning the compiler off keeps the console clean, so a real violation stands out. It must run before any
 * schema is built, hence its own module, imported first by main.tsx.
 */
z.config({ jitless: true });
