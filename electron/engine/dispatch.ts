import { parseCommand, type CommandHandlers } from '../../shared/contract';
import { ok, type Result } from '../../shared/result';
import { toCockpitError } from './errors';

/**
 * Validates one incoming command against the contract and runs it.
 * Both transports call this; it never throws.
 */
export async function dispatch(handlers: CommandHandlers, command: unknown, input: unknown): Promise<Result<unknown>> {
  const parsed = parseCommand(command, input);
  if (!parsed.ok) return parsed;
  const handler = handlers[parsed.value.command] as (input: unknown) => Promise<unknown>;
  try {
    return ok(await handler(parsed.value.input));
  } catch (error) {
    return { ok: false, error: toCockpitError(error) };
  }
}
