import type { Environment, EnvironmentCounts } from '../types/index.ts';
import { memoizeText } from './memo.ts';

// Each pattern names what customers write, not any one product: devices and operating
// systems by their makers' names, browsers, and app versions by their usual lead-ins.

const OS_NAMES: Array<[RegExp, string]> = [
  [/^ipad\s*os$/i, 'iPadOS'],
  [/^ios$/i, 'iOS'],
  [/^android$/i, 'Android'],
  [/^win(?:dows)?$/i, 'Windows'],
  [/^mac\s*os(?:\s*x)?$|^osx$/i, 'macOS'],
  [/^chrome\s*os$/i, 'ChromeOS'],
  [/^ubuntu$/i, 'Ubuntu'],
  [/^debian$/i, 'Debian'],
  [/^fedora$/i, 'Fedora'],
  [/^linux$/i, 'Linux'],
];
const OS =
  /\b(ipad\s*os|ios|android|windows|win(?=\s*\d)|mac\s*os(?:\s*x)?|osx|chrome\s*os|ubuntu|debian|fedora|linux)(?:\s*v?(\d{1,2}(?:\.\d{1,2}){0,2}))?\b/gi;

const DEVICES: Array<[RegExp, (m: RegExpExecArray) => string, string | null]> = [
  [
    /\biphone\s*(\d{1,2}|se|x[rs]?)?(?:\s*(pro\s*max|pro|max|plus|mini))?\b/i,
    (m) => title('iPhone', m[1], m[2]),
    'iOS',
  ],
  [/\bipad(?:\s*(pro|air|mini))?\b/i, (m) => title('iPad', m[1]), 'iPadOS'],
  [/\bpixel\s*(\d{1,2}a?)?(?:\s*(pro|xl|fold))?\b/i, (m) => title('Pixel', m[1], m[2]), 'Android'],
  [
    /\b(?:samsung\s+)?galaxy\s*([a-z]\d{1,3}\+?|note\s*\d{1,2}|z\s*(?:fold|flip)\s*\d?|tab\s*[a-z]?\d*)?(?:\s*(ultra|plus|fe))?\b/i,
    (m) => title('Galaxy', m[1], m[2]),
    'Android',
  ],
  [/\bsamsung\b/i, () => 'Samsung', 'Android'],
  [/\boneplus\s*(\d{1,2}t?)?\b/i, (m) => title('OnePlus', m[1]), 'Android'],
  [/\b(xiaomi|redmi|huawei|motorola|moto\s*g\d*|nokia|oppo|vivo)\b/i, (m) => cap(m[1]), 'Android'],
  [/\bmacbook(?:\s*(pro|air))?\b/i, (m) => title('MacBook', m[1]), 'macOS'],
  [/\bimac\b/i, () => 'iMac', 'macOS'],
  [/\bchromebook\b/i, () => 'Chromebook', 'ChromeOS'],
  [/\bsurface(?:\s*(pro|laptop|go))?\b/i, (m) => title('Surface', m[1]), 'Windows'],
];

const BROWSER =
  /\b(chrome|safari|firefox|edge|opera|brave|vivaldi)(?!\s*os)(?:\s*v?(\d{1,3}(?:\.\d+){0,3}))?\b/i;

// "version 3.2.1", "app 3.2", "v3.2.1", "build 3.2.1", "updated to 3.2.1", or a bare x.y.z.
const APP_VERSION =
  /\b(?:(?:app|application|client)\s+)?(?:version|ver\.?|build|release|v)\s*(\d+(?:\.\d+){1,3})\b|\b(?:app|updated?\s+to|upgraded\s+to|running|on)\s+v?(\d+\.\d+(?:\.\d+){0,2})\b|(?<![\d.])(\d+\.\d+\.\d+)(?![\d.])/gi;

function cap(word = ''): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function title(name: string, ...parts: Array<string | undefined>): string {
  const rest = parts
    .filter((p): p is string => Boolean(p))
    .map((p) =>
      /^\d/.test(p)
        ? p.toUpperCase()
        : p.replace(/\s+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
    );
  return [name, ...rest].join(' ');
}

function osName(raw: string): string {
  const name = raw.replace(/\s+/g, ' ').trim();
  return OS_NAMES.find(([re]) => re.test(name))?.[1] ?? cap(name);
}

/** Where in the text the OS and browser mentions sit, so their numbers are not taken for the app's. */
function spansOf(text: string, re: RegExp): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(new RegExp(re.source, 'gi'))) {
    spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

/**
 * Device, operating system, app version and browser, as a customer gave them in their own
 * words ("iPhone 14 on iOS 17.2, app 3.2.1", "Chrome 120 on Windows 11"). The latest
 * mention of each wins, so a correction ("sorry, it's 3.2.2") counts. An OS named by its
 * device alone (an iPhone is on iOS) is filled in without a version. Fields nobody gave
 * are null.
 */
export function parseEnvironment(lines: readonly string[]): Environment {
  const env: Environment = { device: null, os: null, appVersion: null, browser: null };
  let impliedOs: string | null = null;
  for (const line of lines) {
    const found = lineEnvironment(line);
    if (found.device) {
      env.device = found.device;
      impliedOs = found.impliedOs;
    }
    env.os = found.os ?? env.os;
    env.browser = found.browser ?? env.browser;
    env.appVersion = found.appVersion ?? env.appVersion;
  }
  if (!env.os && impliedOs) env.os = impliedOs;
  return env;
}

/** A line's setup details, and the OS its device implies (an iPhone is on iOS). */
type LineEnvironment = Environment & { impliedOs: string | null };

/** What one line says of the setup (the last mention of each kind), remembered per line. */
const lineEnvironment = memoizeText((line: string): LineEnvironment => {
  const env: LineEnvironment = {
    device: null,
    os: null,
    appVersion: null,
    browser: null,
    impliedOs: null,
  };
  const text = line.replace(/[\u2018\u2019]/g, "'");
  for (const [re, name, os] of DEVICES) {
    const m = re.exec(text);
    if (m) {
      env.device = name(m);
      env.impliedOs = os;
      break;
    }
  }
  for (const m of text.matchAll(OS)) {
    const name = osName(m[1] as string);
    env.os = m[2] ? `${name} ${m[2]}` : name;
  }
  const browser = BROWSER.exec(text);
  if (browser) {
    env.browser = browser[2] ? `${cap(browser[1])} ${browser[2]}` : cap(browser[1]);
  }
  const taken = [...spansOf(text, OS), ...spansOf(text, BROWSER)];
  for (const m of text.matchAll(APP_VERSION)) {
    const version = m[1] ?? m[2] ?? m[3];
    const at = m.index + m[0].lastIndexOf(version as string);
    if (!version || taken.some(([from, to]) => at >= from && at < to)) continue;
    env.appVersion = version;
  }
  return env;
});

/** True when the customer named none of device, OS, app version or browser. */
export function isEmptyEnvironment(env: Environment): boolean {
  return !env.device && !env.os && !env.appVersion && !env.browser;
}

/** The operating system without its version ("iOS 17.2" → "iOS"), for distributions. */
export function osFamily(os: string): string {
  return os.replace(/\s+\d[\d.]*$/, '');
}

/** Compares dotted versions numerically ("3.10.0" after "3.9.2"); negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One distinct environment and how many tickets reported it (the store's grouping). */
export interface EnvironmentTally {
  appVersion: string | null;
  os: string | null;
  device: string | null;
  browser: string | null;
  n: number;
}

/** Counts per app version, OS family, device and browser family. */
export function countEnvironments(rows: readonly EnvironmentTally[]): EnvironmentCounts {
  const counts: EnvironmentCounts = { appVersions: {}, os: {}, devices: {}, browsers: {} };
  const add = (into: Record<string, number>, key: string | null, n: number) => {
    if (key) into[key] = (into[key] ?? 0) + n;
  };
  for (const r of rows) {
    add(counts.appVersions, r.appVersion, r.n);
    add(counts.os, r.os ? osFamily(r.os) : null, r.n);
    add(counts.devices, r.device, r.n);
    add(counts.browsers, r.browser ? osFamily(r.browser) : null, r.n);
  }
  return counts;
}

/**
 * The app version a problem appeared from, when the reports say so: at least two reports
 * gave a version, all of them that version or later, and customers are known to run an
 * earlier one (`knownVersions`, from all tickets). Otherwise null: the problem is not
 * tied to an upgrade as far as the reports show.
 */
export function sinceVersion(
  counts: EnvironmentCounts,
  knownVersions: readonly string[],
): string | null {
  const versions = Object.keys(counts.appVersions).sort(compareVersions);
  const reported = Object.values(counts.appVersions).reduce((sum, n) => sum + n, 0);
  const first = versions[0];
  if (!first || reported < 2) return null;
  return knownVersions.some((v) => compareVersions(v, first) < 0) ? first : null;
}
