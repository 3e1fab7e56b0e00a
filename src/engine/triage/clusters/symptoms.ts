/**
 * How a reported problem shows itself, in words any product's customers use: it crashes,
 * it goes back to what it was, it shows nothing, it hangs, it is wrong, it is refused, it
 * loses its connection, it eats the battery, it happens at the wrong time, it repeats, it
 * errors. The product area says what a report is about; the symptom says how it fails,
 * and two reports filed under one area that fail in different ways are two problems ("dark
 * mode does not stay on" and "the app closes when I open settings" are both Settings).
 *
 * Only general failure vocabulary is listed, never a product's own words. A phrase may show
 * several symptoms, or none.
 */
const SYMPTOMS = {
  crash: String.raw`crash\w*|closes|closing|quits?|quitting|dies|died|shuts?\s+down|force[\s-]?clos\w*|kicks?\s+(?:me|you|us)\s+(?:out|back)|stopped\s+working|(?:won'?t|wont|doesn'?t|does\s+not)\s+(?:stay\s+)?open`,
  reverts: String.raw`revert\w*|reset\w*|(?:goes|go|went|flips?|snaps?|switch(?:es|ed)?|comes?|came|jumps?)\s+back|back\s+to\s+(?:the\s+)?(?:old|default|previous|original)|(?:doesn'?t|don'?t|won'?t|wont|didn'?t|does\s+not|do\s+not|not)\s+(?:save|saved|stick|stay|keep|persist)|forget\w*|undo\w*|no\s+effect|default\s+again`,
  empty: String.raw`blank|empty|no\s+data|white\s+page|nothing\s+on\s+it|missing|invisible|(?:don'?t|doesn'?t|do\s+not|does\s+not|never|can'?t|cant)\s+(?:see|show|appear|load)\w*`,
  stuck: String.raw`stuck|frozen|froze|freez\w*|spinn?\w*|hang(?:s|ing)?|forever|halfway|budg\w*|(?:won'?t|wont|doesn'?t|does\s+not)\s+(?:move|go\s+down|finish|complete|continue)|never\s+(?:finish|complete|move|continue|hit)\w*`,
  wrong: String.raw`wrong|incorrect\w*|inaccura\w*|off\s+by|shifted|too\s+(?:high|low)|(?:higher|lower|warmer|colder)\s+than|instead\s+of`,
  refused: String.raw`invalid|(?:not|no\s+longer)\s+valid|isn'?t\s+valid|reject\w*|declin\w*|(?:not|isn'?t)\s+accepted|expired?`,
  offline: String.raw`offline|disconnect\w*|unreachable|(?:not|isn'?t)\s+responding|unresponsive|drops?\s+(?:off|out)`,
  drain: String.raw`drain\w*|battery|batteries|cpu|processor|overheat\w*|hot|fans?`,
  timing: String.raw`early|late|an?\s+hour|hours?\s+(?:off|early|late)|time\s*(?:change|zone)|minutes\s+off`,
  repeats: String.raw`twice|duplicat\w*|pops?\s+up|loop|every\s+(?:single\s+)?day`,
  errors: String.raw`error\w*|fail\w*|couldn'?t|something\s+went\s+wrong`,
} as const;

/** One way a problem shows itself. */
export type Symptom = keyof typeof SYMPTOMS;

const PATTERNS = Object.entries(SYMPTOMS).map(
  ([name, pattern]) => [name as Symptom, new RegExp(`\\b(?:${pattern})\\b`, 'i')] as const,
);

/** The symptoms a phrase names (empty when it names none). */
export function symptomsOf(phrase: string): Set<Symptom> {
  const found = new Set<Symptom>();
  for (const [name, re] of PATTERNS) if (re.test(phrase)) found.add(name);
  return found;
}

/**
 * The symptoms of a group of reports: those named by more than half of them. Empty when
 * the reports agree on none (or name none), so a mixed or silent group constrains nothing.
 */
export function sharedSymptoms(phrases: readonly (string | null)[]): Set<Symptom> {
  const counts = new Map<Symptom, number>();
  for (const p of phrases) {
    for (const s of symptomsOf(p ?? '')) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n * 2 > phrases.length).map(([s]) => s));
}

/**
 * Whether two groups of reports may be one problem by how they fail: yes unless both show
 * symptoms and they share none ("it crashes" and "it resets" are two problems; "it crashes"
 * and a report that says nothing about how it fails may be one).
 */
export function symptomsAgree(a: ReadonlySet<Symptom>, b: ReadonlySet<Symptom>): boolean {
  if (a.size === 0 || b.size === 0) return true;
  for (const s of a) if (b.has(s)) return true;
  return false;
}
