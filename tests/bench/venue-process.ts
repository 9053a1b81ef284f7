/** A venue script (flags of `npm run venue`) started as its own process, once it has printed its address. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface StartedVenue {
  url: string;
  apiKey: string;
  apiSecret: string;
  child: ChildProcess;
  /** The venue's stdout after its first line. */
  lines: Interface;
}

/** Starts `script` with `args`; `stdin: 'pipe'` keeps its stdin open for commands. */
export async function startVenueProcess(script: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): Promise<StartedVenue> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: [stdin, 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`The venue exited (code ${code}) before announcing itself`)));
  });
  const match = /^venue: (\S+) key=(\S+) secret=(\S+)$/.exec(first);
  if (!match) throw new Error(`Unexpected first line from the venue: ${first}`);
  return { url: match[1]!, apiKey: match[2]!, apiSecret: match[3]!, child, lines };
}
