// The first step of `npm start`: makes sure the Electron binary is on disk. Runs Electron's own installer
// (node_modules/electron/install.js, which downloads it once into a cache); when that fails, says in plain words
// what was fetched from where, the error, what helps, and that `npm run headless` needs no Electron; exits 1.
// With ELECTRON_SKIP_BINARY_DOWNLOAD set it fetches nothing (point ELECTRON_OVERRIDE_DIST_PATH at a local Electron).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ELECTRON_DIR = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);

const { version } = JSON.parse(fs.readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8'));
const installed = spawnSync(process.execPath, [path.join(ELECTRON_DIR, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (installed.status === 0) process.exit(0);

const env = process.env;
const platform = env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform;
const arch = env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch;
const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || DEFAULT_MIRROR;
const dir = (env.ELECTRON_CUSTOM_DIR || env.npm_config_electron_custom_dir || `v${version}`).replace('{{ version }}', version);
const url = `${mirror}${dir}/electron-v${version}-${platform}-${arch}.zip`;
const output = `${installed.stderr ?? ''}${installed.error ? `\n${installed.error.message}` : ''}`;
const error = output.split('\n').map((line) => line.trim()).find((line) => line && !line.startsWith('at ')) ?? `the installer exited with code ${installed.status}`;

process.stderr.write(`npm start: the Electron ${version} binary (${platform}-${arch}) could not be downloaded.
  from:  ${url}
  error: ${error}

What helps:
  - ELECTRON_MIRROR=<url of a mirror of Electron's releases>, when github.com cannot be reached
  - HTTPS_PROXY=<proxy url> with ELECTRON_GET_USE_PROXY=true, when the network goes through a proxy
  - ELECTRON_SKIP_BINARY_DOWNLOAD=1 with ELECTRON_OVERRIDE_DIST_PATH=<folder of a local electron_dist, Electron ${version} unpacked>
Or use the cockpit in your browser, with no Electron at all:
  npm run headless
`);
process.exit(1);
