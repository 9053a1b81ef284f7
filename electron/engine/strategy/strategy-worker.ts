import { parentPort, workerData } from 'node:worker_threads';
import type { StrategySettings } from '../../../shared/settings';
import { buildStrategy } from './catalog';
import { SerialQueue } from './serial-queue';
import type { Strategy, SymbolStrategy } from './strategy';
import { paramSpecs, readDefinition, strategyFromDefinition } from './strategy-definition';
import type { BuilderModule, EvaluationReply, EvaluationRequest, StrategyFileProbe, StrategyWorkerData, WorkerMessage } from './worker-messages';
import { errorMessage } from '../../../shared/error-message';

if (!parentPort) throw new Error('strategy-worker runs only as a worker thread, started by the strategy runner');
const port = parentPort;
const data = workerData as StrategyWorkerData;

async function loadBuilder(builder: BuilderModule | null): Promise<(settings: StrategySettings) => Strategy> {
  if (!builder) return buildStrategy;
  const build: unknown = (await import(builder.module))[builder.exportName];
  if (typeof build !== 'function') throw new Error(`${builder.module} has no strategy builder named ${builder.exportName}`);
  return build as (settings: StrategySettings) => Strategy;
}

async function loadStrategy(): Promise<Strategy> {
  if (!('file' in data)) return (await loadBuilder(data.builder))(data.settings);
  const definition = readDefinition((await import(data.file.module)).default);
  const strategy = strategyFromDefinition(data.file.id, definition, data.file.params);
  if (data.probe) {
    const probe: StrategyFileProbe = { label: strategy.label, timeframe: strategy.timeframe, warmup: strategy.warmup, params: paramSpecs(definition.params) };
    port.postMessage({ probe } satisfies WorkerMessage);
  }
  return strategy;
}

const strategy = await loadStrategy();
const symbols = new Map<string, { state: SymbolStrategy; queue: SerialQueue }>();

function slot(symbol: string) {
  let entry = symbols.get(symbol);
  if (!entry) symbols.set(symbol, (entry = { state: strategy.forSymbol(symbol), queue: new SerialQueue() }));
  return entry;
}

function reply(message: EvaluationReply): void {
  try {
    port.postMessage(message);
  } catch (error) {
    port.postMessage({ id: message.id, ok: false, error: `its signal could not be copied out of the worker: ${errorMessage(error)}` } satisfies EvaluationReply);
  }
}

port.on('message', (request: EvaluationRequest) => {
  let entry: ReturnType<typeof slot>;
  try {
    entry = slot(request.symbol);
  } catch (error) {
    reply({ id: request.id, ok: false, error: errorMessage(error) });
    return;
  }
  entry.queue.push(async () => {
    try {
      const signal = await entry.state.onCandle(request.candle, request.context);
      reply({ id: request.id, ok: true, signal: signal ?? null });
    } catch (error) {
      reply({ id: request.id, ok: false, error: errorMessage(error) });
    }
  });
});

port.postMessage({ ready: true } satisfies WorkerMessage);
