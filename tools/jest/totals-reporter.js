// Writes each Jest run's totals to dist/test-totals/, so that `npm test`
// (tools/test-totals.mjs) can print one closing line for all projects.
const fs = require('node:fs');
const path = require('node:path');

const workspaceRoot = path.join(__dirname, '../..');
const outDir = path.join(workspaceRoot, 'dist/test-totals');

class TotalsReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const suitesThatDidNotRun = results.testResults.filter((r) => r.testExecError).length;
    const totals = {
      project: path.relative(workspaceRoot, this.globalConfig.rootDir) || '.',
      passed: results.numPassedTests,
      failed: results.numFailedTests + suitesThatDidNotRun,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `${totals.project.replaceAll('/', '_')}-${process.pid}.json`), JSON.stringify(totals));
  }
}

module.exports = TotalsReporter;
