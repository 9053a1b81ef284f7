import type { StrategyFileView } from '../../../shared/domain';
import type { StrategyFileSettings } from '../../../shared/settings';
import type { FileStrategyRun } from '../strategy/strategy-runner';
import { StrategyFiles, type StrategyFilesOptions } from './strategy-files';
import { StrategyLineup } from './strategy-lineup';

export interface FileStrategiesOptions extends Omit<StrategyFilesOptions, 'onChange'> {
  /** The user's settings for the strategy files, as in force now. */
  configs: () => readonly StrategyFileSettings[];
  /** Every file's view, after a file or the settings changed. */
  onViews: (views: StrategyFileView[]) => void;
  /** The files to run, after they changed; the previous runs stay until then. */
  onRuns: (runs: FileStrategyRun[]) => void;
  /** When a refresh fails unexpectedly. */
  onError: (error: unknown) => void;
}

/** The user's strategy files, from the folder to the runs the strategy runner takes. */
export class FileStrategies {
  readonly files: StrategyFiles;
  private readonly lineup: StrategyLineup;

  constructor(private readonly options: FileStrategiesOptions) {
    this.files = new StrategyFiles({ ...options, onChange: () => this.refresh() });
    this.lineup = new StrategyLineup(this.files, options.loadTimeoutMs);
  }

  /** Starts watching the folder; resolves once its files have loaded the first time. */
  start(): Promise<void> {
    return this.files.start();
  }

  stop(): void {
    this.files.stop();
  }

  views(): StrategyFileView[] {
    return this.lineup.views();
  }

  runs(): FileStrategyRun[] {
    return this.lineup.current();
  }

  /** Works the runs out again (after a file or the settings changed), then reports the views and, if they changed, the runs. */
  refresh(): void {
    this.options.onViews(this.views());
    void this.lineup
      .refresh(this.options.configs())
      .then((replaced) => {
        if (!replaced) return;
        this.options.onViews(this.views());
        this.options.onRuns(this.runs());
      })
      .catch(this.options.onError);
  }
}
