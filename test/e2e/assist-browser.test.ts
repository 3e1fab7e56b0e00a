import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { type Switchboard, startSwitchboard } from '../../src/main.ts';
import type { AssistCard } from '../../src/types/index.ts';
import { CHROMIUM, LAUNCH_ARGS, SCREENSHOTS, skipBrowser } from '../helpers/browser.ts';
import { webClient } from '../helpers/switchboard.ts';

/**
 * Agent assist on the web desk, in a real Chromium against the real server: a web chat
 * customer reports a bug (so they have a ticket in a cluster), then asks for a person; the
 * agent claims and sees the card (classification, the cluster line, the doc sections, a
 * drafted reply); Send relays the draft; after the customer writes again, Edit puts the new
 * draft into the reply box, and the agent's version is what the customer gets; after the
 * resolve the customer rates the conversation with a button, and the rating shows on the
 * desk and in the stats. Throughout, markup the customer typed stays text, and there is no
 * page error and no request to another origin.
 * Screenshots go to the OS temp dir (`switchboard-console-screenshots/`).
 */

const WAIT = { timeout: 15_000 };

const skip = skipBrowser;

/** Other customers' reports of the same crash, so the customer's ticket joins a cluster of 3. */
const EARLIER_REPORTS = [
  'The app crashes every time I open settings on my Pixel 7, Android 14, app version 3.2.1',
  'Opening the settings screen crashes the app on my Galaxy S23 with Android 14, version 3.2.1',
];
/** Markup in what the customer wrote must show as the words it is, on both pages. */
const REPORT =
  'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1 <img src=x onerror="window.__pwned=1">';

interface Csat {
  rated: number;
  average: number | null;
  satisfiedRate: number | null;
}
interface Period {
  csat: Csat;
  suggestions: Record<'shown' | 'sent' | 'edited' | 'dismissed', number>;
}
interface Stats {
  days: Array<{ date: string } & Period>;
  totals: Period;
  csatByAgent: Array<{ agent: { id: string; name: string } | null } & Csat>;
}

describe.skipIf(skip)('agent assist and the rating, on the web desk and chat', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-assist-'));
  let sb: Switchboard;
  let browser: Browser;
  let chat: Page;
  let desk: Page;
  let handoffId: number;
  const problems: string[] = [];
  const outside: string[] = [];

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${sb.url}${path}`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const card = async () =>
    (await api<{ card: AssistCard }>(`/desk/api/handoffs/${handoffId}/card`)).card;
  const customerSees = async () => {
    const id = await chat.evaluate(() => localStorage.getItem('parcelly.chat.conversationId'));
    return (await webClient(sb.url).messages(id ?? '')).messages;
  };

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== new URL(sb.url).origin && !r.url().startsWith('data:'))
        outside.push(r.url());
    });
    return page;
  }

  async function say(text: string): Promise<void> {
    await chat.fill('#message-input', text);
    await chat.press('#message-input', 'Enter');
    await chat.locator('.message.customer', { hasText: text }).waitFor(WAIT);
  }

  beforeAll(async () => {
    sb = await startSwitchboard(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    await sb.ready;
    for (const text of EARLIER_REPORTS) await webClient(sb.url).send(text);
    await sb.engine.idle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    desk = await newPage({ width: 1320, height: 900 });
    chat = await newPage({ width: 440, height: 860 });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sb?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the claimed handoff’s card: who, how it was classified, the cluster, the docs', async () => {
    await desk.goto(`${sb.url}/desk#token=${sb.adminToken}`);
    await desk.fill('#agent-name', 'Sam');
    await desk.locator('#live-status[data-state="on"]').waitFor(WAIT);

    await chat.goto(`${sb.url}/`);
    await say(REPORT);
    await chat.locator('.message.bot', { hasText: /T-\d{4}/ }).waitFor(WAIT);
    await say('I want to talk to a person');
    await chat.locator('.message.bot', { hasText: /human/i }).waitFor(WAIT);

    const item = desk.locator('[data-handoff-id]').first();
    await item.waitFor(WAIT);
    handoffId = Number(await item.getAttribute('data-handoff-id'));
    await item.click();
    // No card before a claim.
    await desk.locator('#claim').waitFor(WAIT);
    expect(await desk.locator('#assist').isVisible()).toBe(false);
    await desk.click('#claim');
    await chat.locator('.message.system', { hasText: 'Sam from the support team' }).waitFor(WAIT);

    const assist = desk.locator('#assist');
    await assist.waitFor(WAIT);
    const shown = await card();
    const facts = desk.locator('#assist-facts');
    const fact = (term: string) =>
      facts.locator('.fact', { has: desk.locator(`dt:text-is("${term}")`) });
    expect(await fact('Customer').textContent()).toContain('Web chat');
    const { category, priority, sentiment, confidence } = shown.classification;
    const classification = (await fact('Classification').textContent()) ?? '';
    for (const word of [category, priority, sentiment]) {
      expect(classification.toLowerCase()).toContain(word.replace(/[-_]/g, ' ').toLowerCase());
    }
    expect(classification).toContain(`${Math.round(confidence * 100)}% confidence`);
    // The customer's crash ticket, in the cluster the two earlier reports started.
    const crash = shown.tickets.find((t) => t.cluster && t.cluster.reports === 3);
    expect(crash, JSON.stringify(shown.tickets)).toBeDefined();
    const tickets = (await fact('Open tickets').textContent()) ?? '';
    expect(tickets).toContain(crash?.ref);
    expect(tickets).toContain(`One of 3 reports of ${crash?.cluster?.title}`);
    // The summary quotes the customer's markup; the card shows it as text.
    expect(crash?.summary).toContain('<img');
    expect(tickets).toContain(crash?.summary);
    expect(await desk.locator('#detail-body img').count()).toBe(0);
    expect(shown.environment?.device).toBe('iPhone 14');
    expect(await fact('Setup').textContent()).toContain('iPhone 14');
    expect(shown.sections.length).toBeGreaterThanOrEqual(2);
    const docs = fact('Relevant docs').locator('li');
    expect(await docs.allTextContents()).toEqual(shown.sections);
  }, 90_000);

  it('sends the drafted reply as drafted with Send', async () => {
    await desk.locator('#suggestion-body').waitFor(WAIT);
    const draft = (await card()).suggestion;
    expect(draft?.text).toBeTruthy();
    await expect
      .poll(() => desk.locator('#suggestion-text').getAttribute('data-suggestion-id'), WAIT)
      .toBe(String(draft?.id));
    expect(draft?.sources.length).toBeGreaterThan(0);
    expect(await desk.locator('#suggestion-sources').textContent()).toContain(draft?.sources[0]);
    await desk.screenshot({ path: join(SCREENSHOTS, 'desk-card.png') });

    await desk.click('#suggestion-send');
    await chat.locator('.message.agent').first().waitFor(WAIT);
    const agentLines = (await customerSees()).filter((m) => m.role === 'agent');
    expect(agentLines.map((m) => m.text)).toEqual([draft?.text]);
    expect(agentLines[0]?.author).toBe('Sam');
  }, 60_000);

  it('puts the next draft into the reply box with Edit; the customer gets the agent’s version', async () => {
    const sent = (await card()).suggestion?.id ?? 0;
    await say('It still crashes after reinstalling the app. What else can I try?');
    await desk
      .locator('#conversation .message.customer', { hasText: 'reinstalling' })
      .waitFor(WAIT);
    // The card follows the new message with a new draft, live.
    await expect.poll(async () => (await card()).suggestion?.id ?? 0, WAIT).toBeGreaterThan(sent);
    const draft = (await card()).suggestion;
    await expect
      .poll(() => desk.locator('#suggestion-text').getAttribute('data-suggestion-id'), WAIT)
      .toBe(String(draft?.id));

    await desk.click('#suggestion-edit');
    expect(await desk.locator('#reply-input').inputValue()).toBe(draft?.text);
    await desk.locator('#editing-note').waitFor(WAIT);
    const edited = `Sorry about that! ${draft?.text}`;
    await desk.fill('#reply-input', edited);
    await desk.click('#reply-send');
    await chat.locator('.message.agent', { hasText: 'Sorry about that!' }).waitFor(WAIT);
    const agentLines = (await customerSees()).filter((m) => m.role === 'agent');
    expect(agentLines.at(-1)?.text).toBe(edited);
    expect(agentLines).toHaveLength(2);
    // The desk clears the box once its send has been answered (the customer may see it first).
    await expect.poll(() => desk.locator('#reply-input').inputValue(), WAIT).toBe('');
    await desk.locator('#editing-note').waitFor({ state: 'hidden', ...WAIT });
  }, 60_000);

  it('asks the customer for a rating after the resolve; pressing 4 rates it', async () => {
    await desk.click('#resolve');
    await desk.locator('#claim').waitFor({ state: 'hidden', ...WAIT });
    const buttons = chat.locator('.message .choices button');
    await buttons.first().waitFor(WAIT);
    expect(await buttons.allTextContents()).toEqual(['1', '2', '3', '4', '5']);

    // Keyboard operable: focus the 4 and press Enter.
    await buttons.nth(3).focus();
    await chat.keyboard.press('Enter');
    const chosen = chat.locator('.choice-made');
    await chosen.waitFor(WAIT);
    expect(await chosen.textContent()).toBe('You chose 4');
    expect(await chat.locator('.message .choices button').count()).toBe(0);
    await chat.locator('.message.system', { hasText: /thank you for rating/i }).waitFor(WAIT);
    await chosen.scrollIntoViewIfNeeded();
    await chat.screenshot({ path: join(SCREENSHOTS, 'chat-rating.png') });

    // The history says it was answered: a reload shows the same.
    await chat.reload();
    await chat.locator('.choice-made', { hasText: 'You chose 4' }).waitFor(WAIT);
    expect(await chat.locator('.message .choices button').count()).toBe(0);
  }, 60_000);

  it('shows the rating on the desk and counts it in the stats', async () => {
    // The desk still shows the resolved handoff: the press, and the line the engine posts.
    await desk.locator('#conversation .message.customer .bubble', { hasText: /^4$/ }).waitFor(WAIT);
    const note = desk.locator('#conversation .message.internal', { hasText: 'rated this' });
    await note.waitFor(WAIT);
    expect(await note.locator('.bubble').textContent()).toBe(
      'The customer rated this conversation 4/5.',
    );
    // Kept in the transcript as an internal note, so a reload of the desk shows it again.
    const handoffs = await api<{ handoffs: Array<{ id: number }> }>(
      '/desk/api/handoffs?status=resolved',
    );
    const { messages } = await api<{ messages: Array<{ text: string; internal: boolean }> }>(
      `/desk/api/handoffs/${handoffs.handoffs[0]?.id}/messages`,
    );
    expect(messages.filter((m) => m.internal).map((m) => m.text)).toContain(
      'The customer rated this conversation 4/5.',
    );

    const stats = await api<Stats>('/api/stats');
    expect(stats.totals.csat).toEqual({ rated: 1, average: 4, satisfiedRate: 1 });
    expect(stats.days.at(-1)?.csat.rated).toBe(1);
    expect(stats.csatByAgent).toEqual([
      { agent: { id: 'Sam', name: 'Sam' }, rated: 1, average: 4, satisfiedRate: 1 },
    ]);
    // One draft sent as drafted, one edited; none dismissed.
    expect(stats.totals.suggestions).toMatchObject({ sent: 1, edited: 1, dismissed: 0 });
  }, 30_000);

  it('ran no script from what the customer wrote, threw no errors, stayed on this origin', async () => {
    for (const page of [chat, desk]) {
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    }
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });
});
