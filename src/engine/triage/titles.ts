import { MALFUNCTION } from '../offline/intents.ts';
import { contentWords } from './canonical.ts';

/** Longest title, in characters: one line in the digest, the console and Slack. */
export const MAX_TITLE_CHARS = 80;

// Where a long statement can be cut and still read as a statement of the problem.
const CLAUSE_BREAK = /,\s+|\s+(?:and|but|so|because|which|then)\s+|\s+[-–—]\s+/gi;

/**
 * A cluster title from one canonical phrase: its first statement (the phrase joins a
 * customer's statements with "; "), as a sentence: capitalized, without trailing
 * punctuation, brackets left open or a dangling "…", and cut at a clause or word boundary
 * to {@link MAX_TITLE_CHARS}. Empty when the phrase says nothing.
 */
export function titleFromPhrase(phrase: string): string {
  const statements = phrase
    .split(/;\s+/)
    .map((s) => s.trim())
    .filter((s) => contentWords(s).length > 0);
  // The statement with the most to say, the earlier one on a tie: usually the first.
  let best = statements[0] ?? '';
  for (const s of statements) if (wordsOf(s) > wordsOf(best) + 2) best = s;
  return tidy(shorten(best));
}

function wordsOf(text: string): number {
  return contentWords(text).split(' ').filter(Boolean).length;
}

function shorten(text: string): string {
  const clean = text.replace(/…$/, '').trim();
  if (clean.length <= MAX_TITLE_CHARS) return clean;
  // A long statement: keep the clause that says what goes wrong, after the opening clause
  // that says where, when both fit.
  const clauses = clean.split(/,\s+|;\s+|\s+(?:but|and\s+then|so)\s+/i).filter(Boolean);
  const opening = clauses[0] ?? clean;
  const failing = clauses.find((c, i) => i > 0 && MALFUNCTION.test(c));
  if (failing && !MALFUNCTION.test(opening)) {
    const both = `${opening}, ${failing}`;
    if (both.length <= MAX_TITLE_CHARS) return both;
    if (failing.length <= MAX_TITLE_CHARS) return failing;
  }
  let cut = '';
  for (const m of clean.matchAll(CLAUSE_BREAK)) {
    if (m.index > MAX_TITLE_CHARS) break;
    if (m.index >= 25) cut = clean.slice(0, m.index);
  }
  if (cut) return cut;
  const words = clean.slice(0, MAX_TITLE_CHARS + 1).split(/\s+/);
  words.pop();
  return words.join(' ');
}

// Words a title cannot end on: what is left when a detail after them was cut away.
const TRAILING =
  /(?:\s+(?:to|the|a|an|of|for|from|with|on|in|at|by|and|or|but|since|after|before|when|while|until|into|onto|via|my|our|your|its|their|this|that|version|v))+$/i;

function tidy(text: string): string {
  let t = text
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.!?'"“”()[\]-]+/, '')
    .replace(/[\s,;:.!?([-]+$/, '')
    .replace(/\s+['"“”‘’]+$/, '')
    .replace(/\s+([,;:.!?])/g, '$1')
    .replace(TRAILING, '')
    .replace(/[\s,;:-]+$/, '');
  // A bracket opened and never closed (a detail cut away) goes with what it held.
  if ((t.match(/\(/g)?.length ?? 0) > (t.match(/\)/g)?.length ?? 0)) {
    t = t.replace(/\s*\([^)]*$/, '');
  }
  t = closeQuotes(t.replace(/\(\s*\)/g, '').trim());
  // A closing "… where the person was" reads as cut off in a one-line title: the clause it
  // ends is dropped when what comes before it still says enough.
  const hanging =
    /\s+(?:where|when|while|which|that|who|because)\s+[^,;]*\s(?:is|are|was|were|be|been)$/i.exec(
      t,
    );
  if (hanging && hanging.index >= 25) t = t.slice(0, hanging.index);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/**
 * A quotation cut short (the customer quoted an error message and the title ends inside
 * it) is closed, after any punctuation that ended the cut: "it says 'couldn't restore'".
 * A quote that closes an opened one is kept; an apostrophe ("isn't") is neither.
 */
function closeQuotes(text: string): string {
  let t = text;
  const opened = t.match(/(?:^|\s)['‘]\S/g)?.length ?? 0;
  const closed = t.match(/\S['’](?=\s|$|[.,;:!?)])/g)?.length ?? 0;
  if (opened > closed) t = `${t.replace(/[\s,;:.!?'‘’-]+$/, '')}'`;
  if ((t.match(/["“”]/g)?.length ?? 0) % 2 === 1) {
    t = /(?:^|\s)["“][^"“”]+$/.test(t)
      ? `${t.replace(/[\s,;:.!?-]+$/, '')}"`
      : t.replace(/["“”]/, '');
  }
  return t;
}

/** A member of a cluster as the title is chosen from: its phrase and its similarity to the centroid. */
export interface TitleCandidate {
  canonical: string;
  /** Cosine similarity of the ticket's vector to the cluster's centroid. */
  similarity: number;
}

/**
 * The offline title of a cluster: of its members' phrases, the one most typical of the
 * cluster (nearest its centroid), preferring phrases of a readable length (4 to 12 content
 * words) over fragments and run-ons.
 */
export function chooseTitle(members: readonly TitleCandidate[], fallback: string): string {
  let best: { title: string; score: number } | undefined;
  for (const m of members) {
    const title = titleFromPhrase(m.canonical);
    if (!title) continue;
    const words = wordsOf(title);
    const fit = words < 3 ? 0.85 : words > 12 ? 0.9 : 1;
    const score = m.similarity * fit;
    if (!best || score > best.score) best = { title, score };
  }
  return best?.title ?? (titleFromPhrase(fallback) || fallback);
}

/**
 * Whether a cluster titled at `titledAt` reports should be retitled at `reports`: at 2, 3
 * and 5 reports, then each time it has grown by half. A title people have seen does not
 * change with every ticket.
 */
export function retitleDue(reports: number, titledAt: number): boolean {
  return reports > titledAt && (reports <= 3 || reports === 5 || reports >= titledAt * 1.5);
}
