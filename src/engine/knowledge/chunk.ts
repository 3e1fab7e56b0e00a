import type { KnowledgeChunk } from '../../store/knowledge.ts';

/** Sections longer than this are split at paragraph boundaries. */
const MAX_CHUNK_CHARS = 1400;

/** The separator between heading levels in a section path: "Mobile app › Settings". */
export const SECTION_SEPARATOR = ' › ';

/**
 * Splits a markdown file into heading-aware chunks. The H1 (or the file name) is the area;
 * each H2 starts a section named "Area › Heading"; H3 headings stay inside their H2's
 * section text unless the section is too long, in which case it is split by paragraph.
 */
export function chunkMarkdown(markdown: string, fallbackTitle: string): KnowledgeChunk[] {
  let area = fallbackTitle;
  const sections: Array<{ heading: string; lines: string[] }> = [];
  let current: { heading: string; lines: string[] } | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const h1 = /^#\s+(.+)$/.exec(line);
    const h2 = /^##\s+(.+)$/.exec(line);
    if (h1?.[1] && sections.length === 0 && !current) {
      area = h1[1].trim();
    } else if (h2?.[1]) {
      current = { heading: h2[1].trim(), lines: [] };
      sections.push(current);
    } else {
      if (!current) {
        current = { heading: '', lines: [] };
        sections.push(current);
      }
      current.lines.push(line);
    }
  }
  const chunks: KnowledgeChunk[] = [];
  for (const s of sections) {
    const text = s.lines.join('\n').trim();
    if (!text) continue;
    const section = s.heading ? `${area}${SECTION_SEPARATOR}${s.heading}` : area;
    for (const piece of splitLong(text)) chunks.push({ area, section, text: piece });
  }
  return chunks;
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_CHUNK_CHARS) return [text];
  const pieces: string[] = [];
  let buffer = '';
  for (const para of text.split(/\n{2,}/)) {
    if (buffer && buffer.length + para.length > MAX_CHUNK_CHARS) {
      pieces.push(buffer.trim());
      buffer = '';
    }
    buffer += `${para}\n\n`;
  }
  if (buffer.trim()) pieces.push(buffer.trim());
  return pieces;
}
