// Prints vitest's JSON report as one closing line, "Tests: N passed, N failed, N skipped", that CI logs can read.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tsbuild/vitest-report.json';
if (!existsSync(file)) {
  console.log('Tests: 0 passed, 1 failed (no test report was written)');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
