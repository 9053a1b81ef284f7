import type { BreakerView } from '../../../shared/domain';
import { describeError } from '../../../shared/error-message';
import type { MarginHistoryView } from '../../../shared/margin-history';
import type { AccountBook } from '../account/account-book';
import type { EventBus } from '../event-bus';
import { MarginHistory } from './margin-history';
import type { MarginHistoryFile } from './margin-history-file';

const MARGIN_RATIO_BREAKER = 'margin-ratio';

export interface MarginRecorderOptions {
  book: Pick<AccountBook, 'onChange' | 'accountState' | 'positionViews'>;
  bus: Pick<EventBus, 'subscribe'>;
  file: MarginHistoryFile;
  now: () => number;
  /** Journals what went wrong in the background; never throws. */
  report: (type: string, data: unknown) => void;
}

/**
 * Feeds the account's margin history: a sample on every mark, position or balance change, a
 * margin call each time the margin-ratio breaker starts warning and each cut it makes. The
 * history is written to its file whenever a bucket closes, after each margin call and at stop;
 * a failed write is journalled and never stops anything.
 */
export class MarginRecorder {
  private readonly history: MarginHistory;
  private readonly unsubscribers: Array<() => void>;
  private marginRatioState: BreakerView['state'] | null = null;

  constructor(private readonly options: MarginRecorderOptions) {
    const loaded = options.file.load();
    if (loaded.problem) options.report('margin-history.unreadable', loaded.problem);
    this.history = new MarginHistory(loaded.state);
    this.unsubscribers = [
      options.book.onChange((change) => {
        if (change !== 'orders') this.sample();
      }),
      options.bus.subscribe((event, payload) => {
        if (event === 'breakers') this.onBreakers(payload as BreakerView[]);
      }),
    ];
  }

  /** Counts a cut the margin-ratio breaker asked for. */
  recordCut(symbol: string, fraction: number, reason: string): void {
    this.history.record({ time: this.options.now(), kind: 'cut', symbol, detail: `cut by ${Math.round(fraction * 100)}%: ${reason}` });
    this.save();
  }

  view(): MarginHistoryView {
    return this.history.view(this.options.now());
  }

  stop(): void {
    for (const u of this.unsubscribers.splice(0)) u();
    this.save();
  }

  private sample(): void {
    const opened = this.history.sample({
      time: this.options.now(),
      marginRatio: this.options.book.accountState().marginRatio,
      positions: this.options.book.positionViews().filter((p) => p.contracts > 0),
    });
    if (opened) this.save();
  }

  private onBreakers(views: readonly BreakerView[]): void {
    const view = views.find((v) => v.id === MARGIN_RATIO_BREAKER);
    if (!view) return;
    const was = this.marginRatioState;
    this.marginRatioState = view.state;
    if (view.state !== 'warning' || was === 'warning') return;
    this.history.record({ time: this.options.now(), kind: 'warning', symbol: null, detail: `margin ratio${view.value === null ? '' : ` ${view.value.toFixed(1)}%`} passed the ${view.label.toLowerCase()} warning level` });
    this.save();
  }

  private save(): void {
    try {
      this.options.file.save(this.history.state());
    } catch (error) {
      this.options.report('margin-history.write.error', { error: describeError(error) });
    }
  }
}
