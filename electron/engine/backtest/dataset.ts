import type { Timeframe } from '../../../shared/domain';
import type { BacktestCommand } from './cli-args';
import { loadCandles, loadFunding, loadMark } from './data-files';
import { loadFreqtradePair } from './freqtrade-layout';
import type { SymbolData } from './types';

/** The candles (and funding and mark files) a command names, loaded and checked: from --datadir and --pairs, or --data, --funding and --mark. */
export function loadDataset(command: Pick<BacktestCommand, 'datadir' | 'pairs' | 'data' | 'funding' | 'mark'>, timeframe: Timeframe): SymbolData[] {
  if (command.datadir) return command.pairs.map((pair) => loadFreqtradePair(command.datadir!, pair, timeframe));
  const symbols = command.data.map(([symbol]) => symbol);
  for (const [flag, entries] of [
    ['--funding', command.funding],
    ['--mark', command.mark],
  ] as const) {
    for (const [symbol] of entries) if (!symbols.includes(symbol)) throw new Error(`${flag} ${symbol}=…: no --data ${symbol}=FILE to go with it`);
  }
  return command.data.map(([symbol, file]) => {
    const funding = command.funding.find(([s]) => s === symbol)?.[1];
    const mark = command.mark.find(([s]) => s === symbol)?.[1];
    return {
      candles: loadCandles(file, symbol, timeframe),
      ...(funding ? { funding: loadFunding(funding) } : {}),
      ...(mark ? { mark: loadMark(mark) } : {}),
    };
  });
}
