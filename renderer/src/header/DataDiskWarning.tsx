import type { DataDiskStatus } from '../../../shared/domain';

/** Stays in the header while the engine cannot write its data folder, naming the cause; gone once writes succeed again. */
export function DataDiskWarning({ status }: { status: DataDiskStatus | null }) {
  if (!status || status.writable) return null;
  return (
    <span className="header-alert neg" role="alert" data-testid="data-disk-warning" data-code={status.code ?? ''} title="New entries are refused until the data folder can be written again. Closes, stop moves and the flatten still work.">
      ⚠ {status.message}
    </span>
  );
}
