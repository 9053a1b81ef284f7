/** A thrown value as text, even one that cannot be turned into a string (`Object.create(null)`). */
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** What a thrown value says, for a person: the message of an Error, or the value itself as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : asText(error);
}

/** The same, with the error's class first (`TemporaryExchangeError: …`), for the journal, where the kind of failure matters. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : asText(error);
}
