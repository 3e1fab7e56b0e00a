import type { KnowledgeHit } from '../../types/index.ts';

/**
 * The doc sections a reply answered from: those of the turn's passages that the reply names
 * exactly. Both assistants cite that way: the offline one ends its extract with
 * `_Source: <section>_`, and the model is told to write `(see: <section>)`.
 */
export function citedSections(reply: string, knowledge: readonly KnowledgeHit[]): string[] {
  const sections = new Set(knowledge.map((hit) => hit.section));
  return [...sections].filter((section) => reply.includes(section));
}
