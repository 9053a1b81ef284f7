// `npm run audit:electron`: Doyensec's Electronegativity, the scanner an auditor runs first, over
// electron/, renderer/ and shared/ (or the folders given as arguments). It fails on any HIGH finding
// and on any context-isolation, node-integration or sandbox finding, whatever its severity.
//
// Offline by default: the release-list check (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) downloads
// Electron's release list, so it runs only with --online.
//
// Writes .reports/audit.json (read by scripts/test-summary.mjs) unless --no-report is given.
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const online = args.includes('--online');
const writeReport = !args.includes('--no-report');
const folders = args.filter((a) => !a.startsWith('--'));
const inputs = (folders.length ? folders : ['electron', 'renderer', 'shared']).map((f) => path.resolve(root, f));

/** Findings that fail the audit whatever their severity. */
const ALWAYS_BLOCKING = /CONTEXT_ISOLATION|NODE_INTEGRATION|SANDBOX/;
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

// Electronegativity parses TypeScript with @typescript-eslint/typescript-estree 4, which needs the
// TypeScript 4 compiler API; the project's own TypeScript is 7. Point that parser at the TypeScript
// Electronegativity ships with (its nested copy), and nothing else.
const scannerDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const scannerTypescript = require.resolve('typescript', { paths: [scannerDir] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && parent?.filename?.includes(`${path.sep}@typescript-eslint${path.sep}`)) return scannerTypescript;
  return resolve.call(this, request, parent, ...rest);
};

// Its start also downloads fresh translations of its messages; offline, it keeps the English ones it ships.
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (!online && request === 'got' && parent?.filename?.startsWith(scannerDir)) return () => Promise.resolve({ statusCode: 0 });
  return load.call(this, request, parent, ...rest);
};

const run = require('@doyensec/electronegativity');
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.electron;

// The folders are one app (the main process's navigation and permission handlers cover the renderer's
// page), so they are scanned together: copied side by side into one folder, as Electronegativity takes one.
const staged = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-electron-'));
for (const input of inputs) {
  if (!fs.existsSync(input)) {
    console.error(`audit:electron: ${input} does not exist`);
    process.exit(2);
  }
  fs.cpSync(input, path.join(staged, path.basename(input)), { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
}
const result = await run({
  input: staged,
  customScan: [],
  excludeFromScan: online ? [] : OFFLINE_EXCLUDED,
  isRelative: true,
  electronVersionOverride: electronVersion,
  parserPlugins: [],
});
fs.rmSync(staged, { recursive: true, force: true });
const findings = result.issues.map((issue) => ({
  id: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  line: issue.location?.line ?? 0,
  column: issue.location?.column ?? 0,
  manualReview: Boolean(issue.manualReview),
  description: issue.description,
}));
const errors = result.errors.filter((e) => !e.tolerable).map((e) => ({ file: path.relative(staged, e.file), message: e.message }));

const blocking = findings.filter((f) => f.severity === 'HIGH' || ALWAYS_BLOCKING.test(f.id));
for (const f of findings) {
  const mark = blocking.includes(f) ? 'BLOCKING' : 'note';
  console.log(`${mark} ${f.id} ${f.severity}/${f.confidence} ${f.file}:${f.line}:${f.column}${f.manualReview ? ' (review)' : ''}`);
}
for (const e of errors) console.log(`parse error ${e.file}: ${e.message}`);
const scanned = inputs.map((i) => path.relative(root, i) || '.').join(', ');
const checks = online ? 'all checks' : `all checks but ${OFFLINE_EXCLUDED.join(', ')} (needs the internet: --online)`;
console.log(`audit:electron: ${scanned}: ${findings.length} findings, ${blocking.length} blocking, ${errors.length} unparsed files; ${checks}`);
if (writeReport) {
  fs.mkdirSync(path.join(root, '.reports'), { recursive: true });
  fs.writeFileSync(path.join(root, '.reports', 'audit.json'), JSON.stringify({ scanned: inputs.map((i) => path.relative(root, i)), online, findings, blocking: blocking.length, errors }, null, 2));
}
process.exit(blocking.length > 0 || errors.length > 0 ? 1 : 0);
