// Prints one closing line per suite, and a total, from the runners' JSON reports:
//   audit: clean (Electronegativity, N findings, none blocking)   (not counted in the total)
//   unit: N passed, N failed
//   e2e: N passed, N failed
//   total: N passed, N failed
// Exits non-zero when a report is missing (the suite did not run) or anything failed.
import fs from 'node:fs';

const read = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

const suites = [
  ['unit', '.reports/unit.json', (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), skipped: r.numPendingTests + r.numTodoTests })],
  ['e2e', '.reports/e2e.json', (r) => ({ passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + (r.errors?.length ?? 0), skipped: r.stats.skipped })],
];

let ok = true;
const audit = read('.reports/audit.json');
if (!audit) {
  console.log('audit: no report at .reports/audit.json: npm run audit:electron did not run');
  ok = false;
} else if (audit.blocking > 0 || audit.errors.length > 0) {
  console.log(`audit: ${audit.blocking} blocking findings, ${audit.errors.length} unparsed files (npm run audit:electron)`);
  ok = false;
} else console.log(`audit: clean (Electronegativity, ${audit.findings.length} findings, none blocking)`);

const total = { passed: 0, failed: 0, skipped: 0 };
for (const [name, file, count] of suites) {
  const report = read(file);
  if (!report) {
    console.log(`${name}: no report at ${file}: the suite did not run`);
    ok = false;
    continue;
  }
  const c = count(report);
  for (const k of Object.keys(total)) total[k] += c[k];
  if (c.failed > 0 || c.passed === 0 || c.skipped > 0) ok = false;
  console.log(`${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
}
console.log(`total: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
