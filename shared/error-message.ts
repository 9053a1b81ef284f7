/** What a thrown value says, for a person: the message of an Error, or the value itself as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The same, with the error's class first (`TemporaryExchangeError: …`), for the journal, where the kind of failure matters. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
