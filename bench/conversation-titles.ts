/**
 * What makes a cluster title unclean for a developer reading the digest: the reporter's
 * device, OS, browser or version (they belong in the ticket, not the problem's name),
 * leftovers of the chat ("please", "that did not help"), stray punctuation, and length.
 */

/** Longest clean title, in characters. */
export const MAX_TITLE_CHARS = 80;

const DEVICE_OR_VERSION: Array<[string, RegExp]> = [
  [
    'device',
    /\b(iphone|ipad|ipod|pixel|galaxy|samsung|oneplus|huawei|xiaomi|motorola|macbook|imac|laptop|desktop|tablet|echo (dot|show)|apple watch)\b/i,
  ],
  [
    'os',
    /\b(android|ios|ipados|watchos|wear os|mac ?os|os x|windows|linux|ubuntu|chromeos|sonoma|ventura)\b/i,
  ],
  ['browser', /\b(chrome|safari|firefox|microsoft edge|edge \d+|opera|brave)\b/i],
  [
    'version',
    /\b(version|firmware|build)\s*v?\d|\bv\d+(\.\d+)*\b|\bapp\s+v?\d+(\.\d+)+|\b\d+\.\d+(\.\d+)+\b|\b\d+\.\d+\b(?!\s*(ghz|mhz|mb|gb|kg|%|°|inch|in\b))/i,
  ],
];

const CONVERSATIONAL: RegExp =
  /\b(please|pls|plz|thanks|thank you|thx|hi|hello|hey|help|that did not help|didn'?t help|does not help|this is a bug|anyone else|is that normal|any ideas|i think|lol|ugh)\b/i;

/** A title that ends on one of these words was cut mid-phrase ("…when I try to"). */
const DANGLING =
  /\s(to|the|a|an|and|or|of|for|with|my|your|their|our|when|while|that|which|because|but|at|from|i|is|are|was|if|so|than|then|just)$/i;

/** The reasons a title is unclean; empty when it is clean. */
export function titleFlaws(title: string): string[] {
  const flaws: string[] = [];
  const t = title.trim();
  if (!t) return ['empty'];
  for (const [name, re] of DEVICE_OR_VERSION) {
    const hit = re.exec(t);
    if (hit) flaws.push(`${name} "${hit[0]}"`);
  }
  const chat = CONVERSATIONAL.exec(t);
  if (chat) flaws.push(`chat leftover "${chat[0]}"`);
  flaws.push(...punctuationFlaws(t));
  if (t.length > MAX_TITLE_CHARS) flaws.push(`${t.length} chars`);
  return flaws;
}

function punctuationFlaws(t: string): string[] {
  const flaws: string[] = [];
  if (/^[,;:.\-–—()…>/]/.test(t)) flaws.push(`leading "${t[0]}"`);
  if (/[,;:(\-–—>/]$/.test(t)) flaws.push(`trailing "${t.at(-1)}"`);
  if (/…/.test(t)) flaws.push('cut off "…"');
  if (/[!?]{2,}|[,;]{2,}|\.{2,}|…\s*[;,]/.test(t)) flaws.push('stray punctuation');
  let depth = 0;
  for (const ch of t) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) break;
  }
  if (depth !== 0) flaws.push('unbalanced parentheses');
  const quotes = t.match(/["“”]/g)?.length ?? 0;
  // An opened single quote needs a closing one; a lone closing one may be a plural possessive.
  const opening = t.match(/(^|\s)['‘]\S/g)?.length ?? 0;
  const closing = t.match(/\S['’](?=\s|$|[.,;:!?)])/g)?.length ?? 0;
  if (quotes % 2 === 1 || opening > closing) flaws.push('unbalanced quotes');
  const dangling = DANGLING.exec(t);
  if (dangling) flaws.push(`ends mid-phrase "…${dangling[0].trim()}"`);
  return flaws;
}
