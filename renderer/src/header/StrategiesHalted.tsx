import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { StrategyStatus } from '../../../shared/domain';
import { haltedReason } from '../settings/strategy-halt';

/** Says the strategies are halted (after a flatten) and lets the user resume them; the engine may refuse, with its reason. */
export function StrategiesHalted({ api, strategies }: { api: CockpitApi; strategies: readonly StrategyStatus[] }) {
  const [refusal, setRefusal] = useState<string | null>(null);
  const reason = haltedReason(strategies);
  if (!reason) return null;
  const resume = async () => {
    const result = await api.invoke('strategies.resume', {});
    setRefusal(result.ok ? null : result.error.message);
  };
  return (
    <span className="header-alert" data-testid="strategies-halted" title={refusal ?? reason}>
      ⚠ strategies halted{' '}
      <button type="button" className="btn btn-small" data-testid="strategies-resume" onClick={() => void resume()}>
        Resume
      </button>
      {refusal && (
        <span className="neg" role="alert" data-testid="strategies-resume-refusal">
          {refusal}
        </span>
      )}
    </span>
  );
}
