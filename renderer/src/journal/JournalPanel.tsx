import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { JournalEntry } from '../../../shared/domain';
import { saveAs } from '../format/save-file';
import { filterJournal } from './journal-filter';

const SHOWN = 300;
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });


/** The journal's live tail, a filter, and an export of the whole journal. */
export function JournalPanel({ api, entries }: { api: CockpitApi; entries: readonly JournalEntry[] }) {
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const shown = filterJournal(entries, filter, SHOWN);

  const exportAll = async () => {
    const result = await api.invoke('journal.export', {});
    if (!result.ok) return setMessage(`Export failed: ${result.error.message}`);
    saveAs(result.value.fileName, result.value.content, 'application/x-ndjson');
    setMessage(`Saved ${result.value.fileName}`);
  };

  return (
    <div className="journal" data-testid="journal">
      <div className="journal-toolbar">
        <input data-testid="journal-filter" placeholder="Filter (e.g. order BTC)" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter the journal" />
        <span className="muted">
          {shown.length} of {entries.length}
        </span>
        <button type="button" className="btn-small" data-testid="journal-export" onClick={() => void exportAll()}>
          Export
        </button>
        {message && <span className="muted">{message}</span>}
      </div>
      <ol className="journal-list">
        {shown.map((e) => (
          <li key={e.seq} data-testid="journal-entry" data-type={e.type} title={JSON.stringify(e.data, null, 1)}>
            <span className="num muted">{TIME.format(e.time)}</span> <span className={`journal-type type-${e.type.split('.')[0]}`}>{e.type}</span>{' '}
            <code>{JSON.stringify(e.data)}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}
