import { type Digest, type DigestEntry, PRIORITIES, type Trend } from '../../../types/index.ts';

const TREND_LABEL: Record<Trend, string> = {
  new: '★ new',
  rising: '↑ rising',
  falling: '↓ falling',
  steady: '→ steady',
};

/**
 * Renders a digest as Markdown for a developer: a heading with the window, then one
 * numbered entry per cluster with its product area, trend, counts, quotes (blockquotes)
 * and ticket references. Times are shown in `timeZone` (an IANA name, default UTC).
 */
export function renderDigestMarkdown(digest: Digest, timeZone = 'UTC'): string {
  const lines = [
    `# Support digest: ${formatTime(digest.since, timeZone)} → ${formatTime(digest.until, timeZone)} (${timeZone})`,
    '',
  ];
  if (digest.entries.length === 0) {
    lines.push('No open cluster had reports in this window.', '');
    return lines.join('\n');
  }
  const shown = digest.entries.length;
  lines.push(
    digest.activeClusters > shown
      ? `${digest.activeClusters} open clusters had reports in this window; the ${shown} with the highest impact:`
      : `${plural(shown, 'open cluster')} had reports in this window, by impact:`,
    '',
  );
  for (const entry of digest.entries) lines.push(...renderEntry(entry), '');
  return lines.join('\n');
}

function renderEntry(e: DigestEntry): string[] {
  const area = e.productArea ? `**${oneLine(e.productArea)}**` : '**(no product area)**';
  const priorities = PRIORITIES.filter((p) => e.priorityMix[p] > 0)
    .reverse()
    .map((p) => `${e.priorityMix[p]} ${p}`)
    .join(', ');
  const lines = [
    `## ${e.rank}. ${oneLine(e.title)}`,
    '',
    `${area} · ${TREND_LABEL[e.trend]} · urgency ${e.urgency} · impact ${e.impact}`,
    '',
    `- ${plural(e.reports, 'report')} from ${plural(e.uniqueReporters, 'person', 'people')} (previous window: ${e.previousReports})`,
    `- Platforms: ${e.platforms.join(', ') || 'none'}`,
    `- Priority: ${priorities || 'none'}`,
    ...environmentLines(e),
    '',
  ];
  for (const quote of e.quotes) lines.push(`> ${oneLine(quote)}`, '');
  const more = e.reports - e.ticketRefs.length;
  lines.push(`Tickets: ${e.ticketRefs.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  return lines;
}

/** "Versions: 3.2.1 ×4, 3.2.0 ×1 (since 3.2.1)" and "Systems: iOS ×3, Android ×2". */
function environmentLines(e: DigestEntry): string[] {
  // Digests stored before environments were parsed have none.
  const versions = tally(e.environment?.appVersions ?? {});
  const systems = tally({ ...e.environment?.os, ...e.environment?.browsers });
  const since = e.sinceVersion ? ` (since ${e.sinceVersion})` : '';
  return [
    ...(versions ? [`- Versions: ${versions}${since}`] : []),
    ...(systems ? [`- Systems: ${oneLine(systems)}`] : []),
  ];
}

/** Counts as "a ×3, b ×1", most reported first. */
function tally(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${oneLine(k)} ×${n}`)
    .join(', ');
}

/** Keeps user text on one line so it cannot break the document's structure. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `2025-03-14 09:00` in the given time zone. */
function formatTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
