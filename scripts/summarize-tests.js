// Prints the one closing line CI reads, "N passed, N failed", from jest's and Playwright's
// JSON reports. A step that failed without a report (type-check, lint, a crash) counts as
// one failed test, so a red step can never end in a green line.
const fs = require('fs');
const path = require('path');

const [dir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  } catch {
    return undefined;
  }
}

const jest = read('jest.json');
if (jest) {
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + (jest.numRuntimeErrorTestSuites ?? 0);
  skipped += jest.numPendingTests + jest.numTodoTests;
}
const pw = read('playwright.json');
if (pw?.stats) {
  passed += pw.stats.expected + (pw.stats.flaky ?? 0);
  failed += pw.stats.unexpected;
  skipped += pw.stats.skipped;
}

const reported = new Set([
  jest && 'unit and integration tests',
  pw?.stats && 'browser journeys',
]);
for (const step of failedSteps) {
  console.log(`failed step: ${step}`);
  if (!reported.has(step)) failed += 1;
}
if (failedSteps.length > 0 && failed === 0) failed = failedSteps.length;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
