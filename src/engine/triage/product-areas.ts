import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SECTION_SEPARATOR } from '../knowledge/chunk.ts';

/** A product area: one section of the product docs, as customers may name it. */
export interface ProductArea {
  /** "File H1 › Section H2", e.g. "Mobile app › Settings". */
  name: string;
  /** The section's own heading, e.g. "Settings". */
  heading: string;
  /** Customer words for it, from the glossary. */
  synonyms: string[];
  /** The start of the section's text. */
  text: string;
}

/** Characters of section text that describe an area (the opening says what it is about). */
const TEXT_CHARS = 600;

/**
 * Product areas from the knowledge sections: every `H1 › H2` section is an area; a file
 * without `##` sections is one area named by its H1. Long sections split into several
 * chunks become one area. Glossary synonyms are attached by exact area name; entries
 * naming no section are ignored.
 */
export function productAreasFrom(
  sections: ReadonlyArray<{ section: string; area: string; text: string }>,
  glossary: Readonly<Record<string, readonly string[]>> = {},
): ProductArea[] {
  const withSections = new Set(
    sections.filter((s) => s.section.includes(SECTION_SEPARATOR)).map((s) => s.area),
  );
  const byName = new Map<string, ProductArea>();
  for (const s of sections) {
    const isArea = s.section.includes(SECTION_SEPARATOR) || !withSections.has(s.area);
    if (!isArea) continue;
    const existing = byName.get(s.section);
    if (existing) {
      if (existing.text.length < TEXT_CHARS) existing.text = `${existing.text}\n${s.text}`;
      continue;
    }
    byName.set(s.section, {
      name: s.section,
      heading: s.section.split(SECTION_SEPARATOR).at(-1) ?? s.section,
      synonyms: [...(glossary[s.section] ?? [])],
      text: s.text,
    });
  }
  for (const area of byName.values()) area.text = area.text.slice(0, TEXT_CHARS);
  return [...byName.values()];
}

/**
 * Reads `glossary.json` from the knowledge folder: `{ "<area>": ["synonym", ...] }`.
 * A missing file is an empty glossary; a malformed one is reported through `onError` and
 * treated as empty, so a typo in the glossary never stops tickets from being filed.
 */
export async function readGlossary(
  knowledgeDir: string,
  onError?: (error: unknown) => void,
): Promise<{ glossary: Record<string, string[]>; raw: string }> {
  let raw: string;
  try {
    raw = await readFile(join(knowledgeDir, 'glossary.json'), 'utf8');
  } catch {
    return { glossary: {}, raw: '' };
  }
  try {
    const parsed = JSON.parse(raw) as unknown;
    const glossary: Record<string, string[]> = {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [area, words] of Object.entries(parsed)) {
        if (Array.isArray(words)) glossary[area] = words.filter((w) => typeof w === 'string');
      }
    }
    return { glossary, raw };
  } catch (error) {
    onError?.(error);
    return { glossary: {}, raw };
  }
}
