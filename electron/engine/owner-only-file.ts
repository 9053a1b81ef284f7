/**
 * The mode of every file that holds a secret or account state (credentials, settings, breaker
 * state): read and write for the owner only, never for other users of the machine.
 */
export const OWNER_ONLY_FILE_MODE = 0o600;
