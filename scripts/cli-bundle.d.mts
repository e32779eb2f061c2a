export declare const NATIVE_MODULES: readonly string[];

export type CliBundlePaths = { outdir: string; bundle: string; inputs: string; chartWorker: string };
export type CliBundleState = { kind: 'fresh' } | { kind: 'missing' } | { kind: 'stale'; reason: string };

export declare function cliBundlePaths(root: string, outdir?: string): CliBundlePaths;
export declare function cliBundleState(root: string, outdir?: string): CliBundleState;
export declare function buildCliBundle(root: string, outdir?: string): Promise<CliBundlePaths>;
export declare function runCliBundle(bundle: string): void;
