import { memoizeText } from './memo.ts';

/** The kinds of personal data `redactPII` replaces, each shown as `[kind]`. */
export type PIIKind = 'email' | 'phone' | 'card' | 'iban' | 'secret';

/** One piece of personal data found in a text: `text.slice(start, end) === value`. */
export interface PIIMatch {
  kind: PIIKind;
  start: number;
  end: number;
  value: string;
}

interface Detector {
  kind: PIIKind;
  pattern: RegExp;
  /**
   * Validation a regex cannot express (checksums, digit counts, entropy). Returns the
   * accepted leading part of the match, or null to reject it.
   */
  refine?: (value: string) => string | null;
}

// Characters that may appear in a token; a secret must not be cut out of a longer one.
const NOT_TOKEN_BEFORE = '(?<![A-Za-z0-9_-])';
const NOT_TOKEN_AFTER = '(?![A-Za-z0-9_-])';
// A phone number is not glued to a word, an order id (#), an amount or a dotted number,
// and does not continue a longer run of digit groups (tracking numbers, bad IBANs).
const PHONE_BEFORE = '(?<![\\w#$€£¥./+-]|\\d[ .-])';
const PHONE_AFTER = '(?!\\w|[.,/:-]\\d)';

// Registered IBAN lengths per country, from the SWIFT IBAN registry.
const IBAN_LENGTHS = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 ' +
    'DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 ' +
    'HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 ' +
    'MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 ' +
    'RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 ' +
    'VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))] as const),
);

// Request and order ids are often UUIDs; they help debugging and identify no one.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const digitsOf = (value: string): string => value.replace(/\D/g, '');
const when =
  (test: (value: string) => boolean) =>
  (value: string): string | null =>
    test(value) ? value : null;
const digitCountIn = (min: number, max: number) =>
  when((value) => digitsOf(value).length >= min && digitsOf(value).length <= max);

/** The Luhn checksum every payment card number satisfies. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: a known country, its registered length, and remainder 1 under mod 97. */
function isValidIban(raw: string): boolean {
  const iban = raw.replace(/[\s-]/g, '').toUpperCase();
  if (IBAN_LENGTHS.get(iban.slice(0, 2)) !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The longest IBAN at the start of a match, which may have swallowed a short next word. */
function refineIban(value: string): string | null {
  for (let end = value.length; end > 0; end = value.slice(0, end).search(/[ -][^ -]*$/)) {
    const candidate = value.slice(0, end);
    if (isValidIban(candidate)) return candidate;
  }
  return null;
}

/**
 * Random tokens switch character class (digit, lower, upper) often and repeat few
 * characters; slugs, words, camelCase names and long ids do not. Hyphens and
 * underscores are ignored for the count. Letter-only tokens must switch case much more often.
 */
function looksRandom(token: string): boolean {
  if (UUID.test(token)) return false;
  // Structured ids such as PRD-2024-000123-ORDER-000456 are built from single-class parts.
  const parts = token.split(/[-_]+/);
  if (parts.length > 1 && parts.every((p) => /^(?:\d*|[a-z]+|[A-Z]+)$/.test(p))) return false;
  const chars = token.replace(/[-_]/g, '');
  const hasDigit = /\d/.test(chars);
  if (chars.length < 24 || !/[A-Za-z]/.test(chars)) return false;
  if (!hasDigit && !(/[a-z]/.test(chars) && /[A-Z]/.test(chars))) return false;
  const classOf = (c: string) => (/\d/.test(c) ? 0 : /[a-z]/.test(c) ? 1 : 2);
  let switches = 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
    if (i > 0 && classOf(c) !== classOf(chars.charAt(i - 1))) switches++;
  }
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / chars.length) * Math.log2(n / chars.length);
  const switchRate = switches / chars.length;
  return hasDigit ? entropy >= 3 && switchRate >= 0.12 : entropy >= 3.5 && switchRate >= 0.35;
}

const secret = (body: string): RegExp => new RegExp(NOT_TOKEN_BEFORE + body + NOT_TOKEN_AFTER, 'g');

// Order matters: earlier detectors win when matches overlap.
const DETECTORS: Detector[] = [
  { kind: 'secret', pattern: secret('eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*') },
  { kind: 'secret', pattern: secret('sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{16,}') },
  { kind: 'secret', pattern: secret('(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}') },
  { kind: 'secret', pattern: secret('(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}') },
  {
    kind: 'secret',
    pattern: secret('(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})'),
  },
  { kind: 'secret', pattern: secret('(?:AKIA|ASIA)[A-Z0-9]{16}') },
  { kind: 'secret', pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{16,}/g },
  // Keep the scheme or key name readable and hide only the credential itself.
  { kind: 'secret', pattern: /(?<=\bBearer\s+)[A-Za-z0-9._~+/-]{12,}=*/gi },
  // "Basic" is also an ordinary word ("Basic plan"), so its credential must look encoded.
  {
    kind: 'secret',
    pattern: /(?<=\bBasic\s+)[A-Za-z0-9+/]{12,}=*/g,
    refine: when((v) => /[\d+/=]/.test(v)),
  },
  {
    kind: 'secret',
    pattern:
      /(?<=\b(?:password|passwd|pwd|api[_-]?key|client[_-]?secret|secret[_-]?key|access[_-]?token)["']?\s*[:=]\s*["']?)[^\s"',;]{6,}/gi,
  },
  {
    kind: 'email',
    pattern: /(?<![\w.%+-])[A-Za-z0-9](?:[\w.%+-]*[\w%+-])?@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b/g,
  },
  {
    kind: 'iban',
    pattern: /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?\b/gi,
    refine: refineIban,
  },
  {
    kind: 'card',
    pattern: /(?<![\w#$€£.-])\d(?:[ -]?\d){12,18}(?![\w]|[.,-]\d)/g,
    refine: when((value) => passesLuhn(digitsOf(value))),
  },
  {
    // International: +CC or 00CC, then groups; an optional trunk "(0)" is allowed.
    kind: 'phone',
    pattern: new RegExp(
      `${PHONE_BEFORE}(?:\\+|\\b00)\\d{1,3}(?:[ .-]?\\(\\d{1,4}\\)|[ .-]?\\d{1,5}){1,6}${PHONE_AFTER}`,
      'g',
    ),
    refine: digitCountIn(8, 15),
  },
  {
    // North American: (415) 555-0132, 415-555-0132, 415.555.0132, 1-800-555-0199.
    kind: 'phone',
    pattern: new RegExp(
      `${PHONE_BEFORE}(?:1[ .-])?(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}${PHONE_AFTER}`,
      'g',
    ),
  },
  {
    // National with a trunk 0: 020 7946 0958, 07700 900123, 06 12 34 56 78, 030 1234567.
    kind: 'phone',
    pattern: new RegExp(`${PHONE_BEFORE}0\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}${PHONE_AFTER}`, 'g'),
    refine: digitCountIn(10, 11),
  },
  { kind: 'secret', pattern: secret('[A-Za-z0-9_-]{32,}'), refine: when(looksRandom) },
];

/**
 * Finds personal data in free text: emails, phone numbers, payment cards (Luhn-checked),
 * IBANs (mod-97-checked) and credentials (API keys, tokens, JWTs, long random strings).
 * Matches never overlap and are returned in text order.
 */
export function findPII(text: string): PIIMatch[] {
  const found: PIIMatch[] = [];
  for (const { kind, pattern, refine } of DETECTORS) {
    for (const match of text.matchAll(pattern)) {
      const value = refine ? refine(match[0]) : match[0];
      if (!value) continue;
      const start = match.index;
      const end = start + value.length;
      if (found.some((m) => start < m.end && m.start < end)) continue;
      found.push({ kind, start, end, value });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Replaces personal data with typed placeholders, e.g.
 * `"mail jo@shop.io or call +44 20 7946 0958"` → `"mail [email] or call [phone]"`.
 * Used before conversation text leaves the engine (digest quotes, tickets, webhooks).
 * Ordinary numbers (order ids, versions, dates, amounts, times) are left alone. Remembered
 * per text: each turn redacts the conversation's recent lines again for the prompt.
 */
export const redactPII: (text: string) => string = memoizeText(replacePII);

function replacePII(text: string): string {
  let out = '';
  let cursor = 0;
  for (const match of findPII(text)) {
    out += `${text.slice(cursor, match.start)}[${match.kind}]`;
    cursor = match.end;
  }
  return out + text.slice(cursor);
}
