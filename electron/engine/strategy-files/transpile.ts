import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles one strategy file (TypeScript or JavaScript, with whatever it imports)
 * into a single ES module under `outDir`, named by its content's hash, and
 * returns that module's file URL. A syntax or import error comes back as the
 * error esbuild gives, with the file's line and column.
 */
export async function transpileStrategy(file: string, outDir: string): Promise<string> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    logLevel: 'silent',
    absWorkingDir: path.dirname(file),
  }).catch((error: unknown) => {
    const failure = error as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> };
    const first = failure.errors?.[0];
    if (!first) throw error;
    const where = first.location ? ` (line ${first.location.line}, column ${first.location.column + 1})` : '';
    throw new Error(`it does not compile: ${first.text}${where}`);
  });
  const code = result.outputFiles[0]!.text;
  const hash = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${path.basename(file).replace(/\.[^.]+$/, '')}-${hash}.mjs`);
  if (!fs.existsSync(out)) {
    fs.writeFileSync(`${out}.tmp`, code);
    fs.renameSync(`${out}.tmp`, out);
  }
  return pathToFileURL(out).href;
}
