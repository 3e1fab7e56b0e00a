import { memoizeText } from '../memo.ts';
import { redactPII } from '../redact.ts';

/** Longest canonical phrase, in characters. */
const MAX_PHRASE_CHARS = 160;

// Openers and closers that carry no problem: greetings, thanks, pleas for help.
const GREETING =
  /^(?:hi|hello|hey|hiya|dear\s+\w+|good\s+(?:morning|afternoon|evening)|greetings)(?:\s+(?:there|team|all|guys|folks|support))?\b[\s,!.:-]*/i;
const THANKS =
  /\b(?:thanks?(?:\s+(?:you|so\s+much|a\s+lot|in\s+advance))*|thx|ty|cheers|many\s+thanks|much\s+appreciated|regards|best)\b[\s,!.]*$/i;
const PLEAS =
  /\b(?:(?:can|could|would)\s+(?:you|someone|anyone)\s+(?:please\s+)?help(?:\s+me)?(?:\s+with\s+this)?|please\s+help(?:\s+me)?|help\s+me\s+please|any\s+ideas|please\s+advise|please\s+fix(?:\s+(?:this|it))?|asap)\b[\s?!.,]*/gi;
const FILLER =
  /\b(?:um+|uh+|basically|actually|honestly|literally|i\s+think|i\s+guess|kind\s+of|sort\s+of|just\s+wanted\s+to\s+say|so\s+yeah|lol|lmao|haha+|ugh+)\b[\s,]*/gi;
// What customers add while they wait, which says nothing about the problem itself: "that
// did not help", "this is a bug:", "please file a ticket", "still happening", "any update?".
const LEFTOVERS = new RegExp(
  [
    String.raw`(?:that|this|it)\s+(?:did\s*n[o']t|didn'?t|does\s*n[o']t|doesn'?t|won'?t)\s+(?:help|work|fix\s+it)`,
    String.raw`(?:this|it)\s+(?:is|'s|looks\s+like)\s+(?:a|definitely\s+a)\s+bug\b\s*[:,-]?`,
    String.raw`(?:it'?s|it\s+is|this\s+is)?\s*still\s+(?:happening|broken|not\s+(?:working|fixed))`,
    String.raw`(?:any|an)\s+(?:update|news|eta)(?:\s+on\s+this)?`,
    String.raw`(?:as\s+i\s+said|like\s+i\s+said|i\s+told\s+you|i\s+already\s+(?:tried|did)\s+(?:that|this|it)|tried\s+that(?:\s+already)?)`,
    String.raw`(?:same\s+(?:problem|issue|thing)(?:\s+(?:again|here))?)`,
    // "is anyone else's app …", "anyone else having this?": asking around, not the problem.
    String.raw`(?:(?:is|does|has|am\s+i\s+the\s+only\s+one|is\s+it\s+just\s+me\s+or\s+is)\s+)?anyone\s+else(?:'s|\s+(?:having|getting|seeing)\s+this)?`,
    // "please file a ticket", "can you log this as a bug", "pass it on to the developers"
    String.raw`(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?(?:file|log|raise|open|create|submit|make)\s+(?:(?:a|an|the|this|it)\s+)?(?:as\s+an?\s+)?(?:ticket|bug(?:\s+report)?|report|issue)(?:\s+(?:for|about|on)\s+(?:this|it))?`,
    String.raw`(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?(?:pass|send|report|forward|escalate)\s+(?:this|it)(?:\s+on)?\s+to\s+(?:the\s+|your\s+)?(?:developers|devs|dev\s+team|team|engineers)`,
    String.raw`(?:yes|yeah|yep|no|nope|ok(?:ay)?|sure|please)(?=\s*(?:[,.;!?]|$))`,
  ]
    .map((p) => `\\b${p}`)
    .join('|'),
  'gi',
);

// Device, OS, browser and version details: useful to developers, noise for "what is the problem".
// An optional lead-in ("on my", "with", "using the") goes with the detail it introduces.
const LEAD_IN = String.raw`(?:\b(?:on|with|using|in|from)\s+(?:an?\s+|my\s+|the\s+|our\s+)?)?`;
const DEVICE = new RegExp(
  [
    String.raw`(?:iphone|ipad|pixel|galaxy|samsung(?:\s+galaxy)?|oneplus|huawei|xiaomi|moto(?:rola)?|apple\s+watch)(?:\s+(?:[a-z]?\d+[a-z]*|pro|max|plus|ultra|mini|air|note|fold|flip|se))*\b`,
    String.raw`(?:ios|ipados|watchos|wear\s*os|android|(?:macos|mac\s*os(?:\s*x)?)(?:\s+(?:sequoia|sonoma|ventura|monterey|big\s+sur|catalina))?|windows|ubuntu|linux|chrome\s*os)\s*v?\d+(?:\.\d+)*\b`,
    String.raw`(?:chrome|safari|firefox|edge|opera|brave)\s+v?\d+(?:\.\d+)*\b`,
    String.raw`(?:(?:app|the)\s+)?(?:version|ver\.?|build|release)\s*v?\d+(?:\.\d+)*\b`,
    String.raw`(?:app|application|client)\s+v?\d+(?:\.\d+){1,3}\b`,
    String.raw`v\d+(?:\.\d+){1,3}\b`,
    String.raw`\d+\.\d+\.\d+\b`,
    // A bare OS, browser or computer named as a detail ("…, Ubuntu", "safari on my macbook").
    String.raw`(?:ios|ipados|watchos|wear\s*os|android|macos(?:\s+(?:sequoia|sonoma|ventura|monterey|big\s+sur|catalina))?|windows|ubuntu|linux|chrome\s*os)\b(?!\s+(?:app|version|update))`,
    // "latest app", "the latest version", "app is up to date": the version, without a number.
    String.raw`(?:the\s+)?(?:latest|newest)\s+(?:app(?:\s+version)?|version)\b`,
    String.raw`(?:(?:the\s+)?app\s+)?(?:is\s+)?up[\s-]to[\s-]date\b`,
    String.raw`(?:chrome|safari|firefox|opera|brave)\b(?!\s+(?:extension|app|store|version|update))`,
    String.raw`(?:macbook(?:\s+(?:pro|air))?|imac|chromebook|surface(?:\s+(?:pro|laptop|go))?|laptop|desktop\s+pc|pc)\b`,
  ]
    .map((detail) => `${LEAD_IN}\\b${detail}`)
    .join('|'),
  'gi',
);

// A device named by brand or kind, not introduced by "on", "with"…; and the word before it.
const NAMED_DEVICE =
  /^(?:iphone|ipad|pixel|galaxy|samsung|oneplus|huawei|xiaomi|moto|apple\s+watch|macbook|imac|chromebook|surface|laptop|desktop|pc)/i;
const OWNED = /\b(?:my|the|our|his|her|their|your|this)\s+$/i;

// What a removed detail can leave hanging at the end ("… closes, on my" → "… closes").
const DANGLING = /(?:[\s,;:.!-]|\b(?:and|or|but|with|using|from)\b)+$/i;
const DANGLING_AFTER_DETAIL = /(?:[\s,;:.!-]|\b(?:and|or|but|with|using|from|on|in|at)\b)+$/i;

/** Words too common to say which problem a message is about (stripped before embedding). */
const FUNCTION_WORDS = new Set(
  (
    'a an the i me my mine myself we our ours you your yours he she him her his it its they them their ' +
    'this that these those is are was were be been being am do does did doing done have has had having ' +
    'can could would should will shall may might must to of in on at for with from by about as into onto ' +
    'than then so if or and but not no yes please thanks thank hi hello hey there here what which who ' +
    'whom how why when where just still also very really some any all get got getting want wanted need ' +
    'needed know tell help make made use used go going like way anything something someone anyone ok ' +
    "okay possible able sure thing things one im ive id dont cant whats hows i'm i've i'd it's don't " +
    "can't what's how's there's"
  ).split(' '),
);

/**
 * The statements of a text that say something about the problem: split at sentence ends,
 * new lines and " — " (how summaries join customer lines), each without greetings, thanks,
 * pleas for help, filler, conversational leftovers or device and version details, and
 * without statements whose content words all came before. Redacted. Empty when nothing
 * is left (a line that only gives the app version, or only says "that did not help").
 * Remembered per text, as each turn reads the conversation's recent lines again.
 */
export const problemStatements: (text: string) => readonly string[] = memoizeText(statementsOf);

function statementsOf(text: string): readonly string[] {
  const kept: string[] = [];
  const seen: Array<Set<string>> = [];
  for (const part of redactPII(text).split(/\s+[—–]\s+|[\n\r]+|(?<=[.!?])\s+/)) {
    const { clean, details } = cleanPart(part);
    const words = new Set(contentWords(clean).split(' ').filter(Boolean));
    if (words.size === 0) continue;
    // After the problem is stated, a line that gave the device or version leaves only its
    // remains ("Thermly Home", "im", "pro, uploader"), and a line of function words alone
    // ("she has an") says nothing: neither is part of the problem.
    if (kept.length > 0 && (details > 0 ? telling(clean) <= 2 : telling(clean) === 0)) continue;
    // A part whose content words all appeared already says nothing new.
    if (seen.some((earlier) => [...words].every((w) => earlier.has(w)))) continue;
    seen.push(words);
    kept.push(clean);
  }
  return kept;
}

/**
 * The offline canonical issue phrase: the {@link problemStatements} joined with "; ", cut
 * to 160 characters at a word boundary. Falls back to the redacted text when nothing is left.
 */
export function canonicalPhrase(text: string): string {
  const phrase = problemStatements(text).join('; ') || redactPII(text).replace(/\s+/g, ' ').trim();
  return truncate(phrase, MAX_PHRASE_CHARS);
}

/**
 * The content words of a phrase, lowercased and space-joined: what clustering embeds.
 * Function words and pronouns are dropped so that two reports of one problem phrased
 * differently ("the app closes when I open settings", "opening settings closes the app")
 * are compared on what they are about. Returns the lowercased phrase when no word is left.
 */
export function contentWords(phrase: string): string {
  const words = phrase
    .replace(/\[(?:email|phone|card|iban|secret)\]/g, ' ')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu);
  if (!words) return '';
  const kept = words.filter((w) => !FUNCTION_WORDS.has(w));
  return (kept.length > 0 ? kept : words).join(' ');
}

/** Content words of a statement that are not function words or bare numbers. */
function telling(statement: string): number {
  const words = statement.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  return words.filter((w) => !FUNCTION_WORDS.has(w) && !/^\d+$/.test(w)).length;
}

function cleanPart(part: string): { clean: string; details: number } {
  let details = 0;
  let s = part
    .replace(DEVICE, (detail: string, offset: number, whole: string) => {
      details++;
      // A phone or computer the sentence is about ("my pc turned into a jet engine") keeps
      // its place as a plain noun, so the statement still has a subject.
      const subject = NAMED_DEVICE.test(detail) && OWNED.test(whole.slice(0, offset));
      return subject ? ' device ' : ' ';
    })
    .replace(PLEAS, ' ')
    .replace(LEFTOVERS, ' ')
    .replace(FILLER, ' ');
  s = s.replace(/\s+/g, ' ').trim();
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(GREETING, '').replace(THANKS, '').trim();
  }
  const clean = s
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/^[\s,;:.!?-]+/, '')
    .replace(details > 0 ? DANGLING_AFTER_DETAIL : DANGLING, '')
    .trim();
  return { clean, details };
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut.slice(0, max)).replace(/[\s,;:]+$/, '')}…`;
}
