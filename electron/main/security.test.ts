import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  const app = Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => true), quit: vi.fn() });
  class BrowserWindow {
    constructor(readonly options: Record<string, any>) {}
  }
  return { app, BrowserWindow };
});
vi.mock('electron', () => electron);

const { acquireSingleInstance, CONTENT_SECURITY_POLICY, createSecureWindow, hardenSession, lockDownContents, lockDownEveryContents } =
  await import('./security');

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheck = (...args: unknown[]) => boolean;
type HeadersListener = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: unknown) => void) => void;

function fakeSession() {
  const handlers: { request?: PermissionRequest; check?: PermissionCheck; headers?: HeadersListener } = {};
  return {
    handlers,
    setPermissionRequestHandler: (handler: PermissionRequest) => (handlers.request = handler),
    setPermissionCheckHandler: (handler: PermissionCheck) => (handlers.check = handler),
    webRequest: { onHeadersReceived: (handler: HeadersListener) => (handlers.headers = handler) },
  };
}
let session = fakeSession();

function preventable() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

beforeEach(() => {
  electron.app.removeAllListeners();
  electron.app.requestSingleInstanceLock.mockReset().mockReturnValue(true);
  electron.app.quit.mockReset();
  session = fakeSession();
});

describe('the cockpit window', () => {
  it('is sandboxed and isolated, with no Node and web security on', () => {
    const prefs = (createSecureWindow('/app/out/preload/index.cjs') as unknown as { options: Record<string, unknown> }).options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
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
    });
  });

  it('keeps the secure preferences whatever look the caller asks for', () => {
    const secure = (createSecureWindow('/p.cjs') as unknown as { options: Record<string, unknown> }).options;
    const { options } = createSecureWindow('/p.cjs', { width: 800, height: 600, title: 'x', webPreferences: { contextIsolation: false } } as never) as unknown as { options: Record<string, unknown> };
    expect(options).toMatchObject({ width: 800, height: 600, title: 'x' });
    expect(options['webPreferences']).toEqual(secure['webPreferences']);
  });
});

describe('the content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it('allows scripts only from the app itself and never eval', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });

  it('lets the page connect only to its own origin', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    for (const values of directives.values()) for (const value of values) expect(value).not.toMatch(/^(https?:|wss?:|\*)/);
  });

  it('is the policy the renderer page itself declares', () => {
    const html = fs.readFileSync(path.resolve(__dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('is sent as a header on every response of the session', () => {
    hardenSession(session as never);
    let answer: { responseHeaders: Record<string, string[]> } | undefined;
    session.handlers.headers!({ responseHeaders: { 'X-Other': ['kept'] } }, (response) => (answer = response as typeof answer));
    expect(answer!.responseHeaders['X-Other']).toEqual(['kept']);
    expect(answer!.responseHeaders['Content-Security-Policy']![0]).toContain(CONTENT_SECURITY_POLICY);
  });
});

describe('navigation, new windows and permissions', () => {
  it('denies navigation, redirects, webviews and window.open', () => {
    const contents = new FakeContents();
    lockDownContents(contents as never);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const attempt = preventable();
      contents.emit(event, attempt, 'https://evil.example/');
      expect(attempt.defaultPrevented, event).toBe(true);
    }
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('locks down every web contents the app creates', () => {
    lockDownEveryContents();
    const contents = new FakeContents();
    electron.app.emit('web-contents-created', {}, contents);
    const attempt = preventable();
    contents.emit('will-navigate', attempt, 'https://evil.example/');
    expect(attempt.defaultPrevented).toBe(true);
  });

  it('refuses every permission request and check', () => {
    hardenSession(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.handlers.request!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(session.handlers.check!({}, 'media', 'file://', {})).toBe(false);
  });
});

describe('the single-instance lock', () => {
  it('lets the first instance run and focuses it when a second one starts', () => {
    const focus = vi.fn();
    expect(acquireSingleInstance(focus)).toBe(true);
    electron.app.emit('second-instance');
    expect(focus).toHaveBeenCalledOnce();
    expect(electron.app.quit).not.toHaveBeenCalled();
  });

  it('makes a second instance quit', () => {
    electron.app.requestSingleInstanceLock.mockReturnValue(false);
    expect(acquireSingleInstance(vi.fn())).toBe(false);
    expect(electron.app.quit).toHaveBeenCalledOnce();
  });
});
