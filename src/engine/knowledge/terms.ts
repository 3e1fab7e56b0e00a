import { stemmer } from 'stemmer';
import { memoizeText } from '../memo.ts';

// Words that say nothing about which section a question is about.
const STOP = new Set(
  (
    'a an the i me my mine we our you your he she it its they them their this that these those ' +
    'is are was were be been being am do does did doing have has had can could would should will ' +
    'shall may might must to of in on at for with from by about as into than then so if or and but ' +
    'not no yes please thanks thank hi hello hey there here what which who whom how why when where ' +
    'just still also very really some any all get got want need know tell help make use way ok okay ' +
    'im ive id dont cant whats hows doesnt didnt isnt arent wasnt werent wont wouldnt couldnt ' +
    'shouldnt havent hasnt thats theres wanna gonna gotta kinda sorta'
  ).split(' '),
);

const NUMBER_WORDS: Record<string, string> = {
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
};

/** The words of a text, lowercased, apostrophes kept inside words ("can't"). */
export function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019`]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []
  );
}

/** Content words, stemmed: what sections are matched on. */
export function termsOf(text: string): string[] {
  return wordsOf(text)
    .map((w) => w.replace(/'/g, ''))
    .filter((w) => !STOP.has(w))
    .map((w) => stemmer(w));
}

const NEGATIONS = new Set(
  (
    'not no never nothing nobody none cannot dont doesnt didnt cant couldnt wont wouldnt isnt ' +
    'arent wasnt werent shouldnt havent hasnt'
  ).split(' '),
);

/** True when one of the words (as {@link wordsOf} gives them) says "not": "no", "can't", "never". */
export function negates(words: readonly string[]): boolean {
  return words.some((w) => NEGATIONS.has(w) || w.endsWith("n't"));
}

/** Every word, stemmed and without apostrophes, in order: what a phrase is matched on. */
export function stemsOf(text: string): string[] {
  return wordsOf(text).map((w) => stemmer(w.replace(/'/g, '')));
}

/**
 * Acronyms a heading may be known by: any it spells out in brackets ("Single sign-on (SSO)"
 * → "sso"), and the initials of its content words, hyphenated parts included, with number
 * words as digits ("Two-factor authentication" → "tfa", "2fa"; "Search engine optimisation"
 * → "seo"). Initials are made of three words or more: two letters ("Installer settings" →
 * "is"), or initials of its little words ("Crashes and troubleshooting" → "cat"), are words
 * customers type about anything.
 */
export function acronymsOf(heading: string): { spelled: string[]; initials: string[] } {
  const spelled = new Set<string>();
  for (const m of heading.matchAll(/\(([A-Za-z0-9-]{2,8})\)/g))
    spelled.add((m[1] as string).toLowerCase());
  const words = heading
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w) && !STOP.has(w));
  const initials = new Set<string>();
  if (words.length >= 3 && words.length <= 5) {
    initials.add(words.map((w) => w[0]).join(''));
    initials.add(words.map((w) => NUMBER_WORDS[w] ?? w[0]).join(''));
  }
  return { spelled: [...spelled], initials: [...initials].filter((a) => !spelled.has(a)) };
}

/** Damerau–Levenshtein distance, giving up (returning `max + 1`) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2.splice(0, prev2.length, ...prev);
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * A speller for the docs' vocabulary: it corrects the words of a text the docs do not use
 * into the nearest word they do ("subscripton" → "subscription", "cancle" → "cancel"): one
 * edit for words of five to seven letters, two for longer ones; shorter words, words the
 * docs know and words of the language (`isWord`: "stuff" is not a misspelled "staff", nor
 * "blank" of "bank") are left as they are. `vocabulary` maps each docs word to how often it
 * appears (the tie-breaker). A word's correction is looked up once (a scan of the
 * vocabulary) and remembered, as the same unknown words (names, products) come back turn
 * after turn.
 */
export function spellingCorrector(
  vocabulary: ReadonlyMap<string, number>,
  isWord: (lower: string) => boolean = () => false,
): (text: string) => string {
  const nearest = memoizeText((lower: string): string | undefined => {
    const max = lower.length >= 8 ? 2 : 1;
    let best: { word: string; distance: number; count: number } | undefined;
    for (const [candidate, count] of vocabulary) {
      if (candidate.length < 4) continue;
      const distance = editDistance(lower, candidate, max);
      if (distance > max) continue;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count)) {
        best = { word: candidate, distance, count };
      }
    }
    return best?.word;
  });
  return (text) =>
    text.replace(/\p{L}+(?:['\u2019]\p{L}+)*/gu, (word) => {
      // A contraction ("couldn't") is left whole: its parts are not words to correct.
      if (word.length < 5 || /['\u2019]/.test(word)) return word;
      const lower = word.toLowerCase();
      if (vocabulary.has(lower) || STOP.has(lower) || isWord(lower)) return word;
      return nearest(lower) ?? word;
    });
}
