/**
 * `journal_export: bytes=B wall_ms=W max_event_loop_block_ms=M` (target M < 50): the whole export of a
 * 200 MB journal (20 rotated files of 10 MB and the live one), read in chunks with the event loop
 * running in between, measured by Node's event-loop delay monitor while it runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Journal } from '../../electron/engine/journal';

export interface JournalExportResult {
  bytes: number;
  wallMs: number;
  maxBlockMs: number;
  p99BlockMs: number;
  /** The most CPU time one step of the export took between two turns of the event loop: what it holds the engine up by when the machine is not overloaded. */
  maxStepCpuMs: number;
}

const FILE_BYTES = 10 * 1024 * 1024;
const FILES = 20;

/** Writes `files` rotated journal files of about `fileBytes` each, of realistic entries, straight to disk. */
function writeHistory(dir: string, files: number, fileBytes: number): void {
  let seq = 0;
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    let size = 0;
    while (size < fileBytes) {
      seq += 1;
      const line = `${JSON.stringify({ seq, time: 1_700_000_000_000 + seq, type: 'order.response', data: { proposalId: `p${seq}`, symbol: 'BTC/USDT:USDT', order: { id: String(seq), clientOrderId: `ck-p${seq}-e-1`, status: 'closed', filled: 0.01, averagePrice: 60_000 + (seq % 100) } } })}\n`;
      lines.push(line);
      size += line.length;
    }
    fs.writeFileSync(path.join(dir, `journal-${String(f + 1).padStart(15, '0')}-${String(seq).padStart(12, '0')}.jsonl`), lines.join(''));
  }
}

export async function benchJournalExport(): Promise<JournalExportResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-journal-'));
  try {
    writeHistory(dir, FILES, FILE_BYTES);
    const journal = new Journal({ dir, maxRotatedFiles: FILES + 1 });
    journal.record('bench.start', {});
    const monitor = monitorEventLoopDelay({ resolution: 1 });
    const started = performance.now();
    monitor.enable();
    let bytes = 0;
    let maxStepCpuMs = 0;
    const chunks = journal.exportChunks();
    for (;;) {
      const before = process.cpuUsage();
      const next = await chunks.next();
      const used = process.cpuUsage(before);
      maxStepCpuMs = Math.max(maxStepCpuMs, (used.user + used.system) / 1000);
      if (next.done) break;
      bytes += Buffer.byteLength(next.value);
    }
    monitor.disable();
    const wallMs = performance.now() - started;
    journal.close();
    return { bytes, wallMs, maxBlockMs: monitor.max / 1e6, p99BlockMs: monitor.percentile(99) / 1e6, maxStepCpuMs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function journalExportLine(result: JournalExportResult): string {
  return `journal_export: bytes=${result.bytes} wall_ms=${Math.round(result.wallMs)} max_event_loop_block_ms=${result.maxBlockMs.toFixed(1)}`;
}
