import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from './static-files';

const root = path.resolve('/srv/cockpit/renderer');

describe('which file a URL names', () => {
  it('maps / to index.html and paths under the root to their files', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index-abc.js?v=1')).toBe(path.join(root, 'assets/index-abc.js'));
  });

  it.each(['/../secret', '/..%2f..%2fetc/passwd', '/%2e%2e/x', '/a%00b', '/%E0%A4%A'])('never leaves the root for %s', (url) => {
    const file = resolveStaticPath(root, url);
    if (file !== null) expect(file.startsWith(root + path.sep)).toBe(true);
  });
});
