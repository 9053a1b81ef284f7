import { app, BrowserWindow, type BrowserWindowConstructorOptions, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../shared/csp';

export { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/**
 * The cockpit window: a sandboxed, isolated page with no Node and the web's own security on,
 * whatever look the caller asks for. The settings are written here, at the one place a window
 * is made, where a reader and a scanner (`npm run audit:electron`) see them.
 */
export function createSecureWindow(preload: string, look: Omit<BrowserWindowConstructorOptions, 'webPreferences'> = {}): BrowserWindow {
  return new BrowserWindow({
    ...look,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/** The page may not navigate away, open windows or attach webviews. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Refuses every permission request (camera, geolocation, notifications…) and
 * check, and sends the CSP as a header on every response (the page's meta tag
 * carries the same policy for file:// loads).
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] } }),
  );
}

/** Applies {@link lockDownContents} to every web contents the app ever creates. */
export function lockDownEveryContents(): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
}

/**
 * Takes the single-instance lock. A second start quits and hands focus to the
 * first instance through `onSecondInstance`. Returns false when this process must exit.
 */
export function acquireSingleInstance(onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', onSecondInstance);
  return true;
}
