import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the browser tests share: Debian's Chromium (no download), the flags that keep it
 * off the network, where screenshots are kept, and when to skip (only outside CI, when
 * Chromium is missing: the CI script installs it).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** One screenshot per page, for people to look at after a run. */
export const SCREENSHOTS = join(tmpdir(), 'switchboard-console-screenshots');
export const skipBrowser = !existsSync(CHROMIUM) && !process.env.CI;
