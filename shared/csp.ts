/**
 * The renderer's Content Security Policy, one place for both hosts: the
 * Electron window (meta tag in renderer/index.html, checked by a test) and the
 * headless server (sent as a header). No `unsafe-eval`, no remote scripts, and
 * the page may only connect back to its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** The header form adds what a meta tag cannot carry. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
