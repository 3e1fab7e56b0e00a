import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { type Switchboard, startSwitchboard } from '../../src/main.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { CHROMIUM, LAUNCH_ARGS, SCREENSHOTS, skipBrowser } from '../helpers/browser.ts';
import { webClient } from '../helpers/switchboard.ts';

/**
 * The triage console in a real Chromium against the real server, as a developer uses it:
 * sign in, read the ranked problems, see a new one arrive live, open one, merge, split,
 * rename and mark fixed from the page, move a ticket through its statuses (and see a
 * verified `ticket.updated` reach a Standard Webhooks receiver). Throughout, no page error,
 * no console error and no request to another origin. One screenshot per page is kept in
 * the OS temp dir (`switchboard-console-screenshots/`).
 */

const WAIT = { timeout: 15_000 };
const SECRET = `whsec_${Buffer.from('console-test-secret-0123456789ab').toString('base64')}`;

const skip = skipBrowser;

const REPORTS = [
  'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
  'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
  'Checkout crashes at the payment step and I lose my cart, Chrome 120 on Windows 11, version 3.2.1',
  // Markup in a report must show as the words it is.
  'The export button crashes the page <img src=x onerror="window.__pwned=1"> <b>every time</b>, app 3.2.1',
];

describe.skipIf(skip)('the triage console in a browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-console-'));
  let sb: Switchboard;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let page: Page;
  const problems: string[] = [];
  const outside: string[] = [];

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${sb.url}/api${path}`, {
      headers: { authorization: `Bearer ${sb.adminToken}` },
    });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const report = async (text: string) => {
    const { body } = await webClient(sb.url).send(text);
    await sb.engine.idle();
    const ticket = sb.store.tickets.forConversation(body.conversationId)[0];
    if (!ticket) throw new Error(`no ticket for "${text}"`);
    return ticket;
  };
  const shoot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** Controls a screen reader could not name: no label, no text, no aria-label. */
  const unlabelled = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('#view input, #view select, #view button, #view a')]
        .filter((el) => {
          const named =
            (el as HTMLInputElement).labels?.length ||
            el.getAttribute('aria-label') ||
            el.textContent?.trim();
          return !named && (el as HTMLElement).offsetParent !== null;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
  /** Confirms the open dialog with its OK button. */
  const confirm = async () => {
    await page.locator('#confirm-ok').click();
    await page.locator('#confirm').waitFor({ state: 'hidden', ...WAIT });
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sb = await startSwitchboard(
      loadConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        WEBHOOK_URLS: `${receiver.url}/hooks`,
        WEBHOOK_SECRET: SECRET,
      }),
    );
    await sb.ready;
    for (const text of REPORTS) await report(text);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== new URL(sb.url).origin && !r.url().startsWith('data:'))
        outside.push(r.url());
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sb?.stop();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for the token once, then ranks the problems the API ranks, each with its chart', async () => {
    await page.goto(`${sb.url}/console`);
    await page.getByLabel('Admin token').fill(sb.adminToken);
    await page.getByRole('button', { name: 'Open the console' }).click();
    const rows = page.locator('.data-table tbody tr');
    await rows.first().waitFor(WAIT);
    const { clusters } = await api<{ clusters: Array<{ id: number; reports: number }> }>(
      '/clusters?limit=20',
    );
    await expect.poll(() => rows.count()).toBe(clusters.length);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [
        Number(tr.getAttribute('data-cluster-id')),
        Number(tr.querySelector('[data-field="reports"]')?.textContent),
      ]),
    );
    expect(shown).toEqual(clusters.map((c) => [c.id, c.reports]));
    expect(await page.locator('.sparkline canvas').count()).toBe(clusters.length);
    // The markup in a report is text on the page, and ran nowhere.
    await expect
      .poll(() => page.getByText('<img src=x onerror=', { exact: false }).count())
      .toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.data-table img').count()).toBe(0);
    // A reload signs in by itself: the token was asked for once.
    await page.reload();
    await rows.first().waitFor(WAIT);
    expect(await unlabelled()).toEqual([]);
    await shoot('problems');
  });

  it('shows a new problem without a reload', async () => {
    await page.locator('#live-status[data-state="on"]').waitFor(WAIT);
    await report('Push notifications never arrive on my phone since yesterday, app 3.2.1');
    await page
      .getByText(/notifications/i)
      .first()
      .waitFor(WAIT);
  });

  it('opens a problem: its tickets with their similarity, its chart and history', async () => {
    const crashRef = sb.store.tickets.list({ limit: 100 }).find((t) => /settings/i.test(t.summary))
      ?.clusterId as number;
    await page.locator(`tr[data-cluster-id="${crashRef}"] .problem-title a`).click();
    const tickets = page.locator('.tickets-table tbody tr');
    await tickets.first().waitFor(WAIT);
    const detail = await api<{ tickets: Array<{ id: number; similarity: number }> }>(
      `/clusters/${crashRef}`,
    );
    await expect.poll(() => tickets.count()).toBe(detail.tickets.length);
    const similarities = await tickets.evaluateAll((trs) =>
      trs.map((tr) => tr.querySelector('[data-label="Similarity"]')?.textContent),
    );
    expect(similarities).toEqual(detail.tickets.map((t) => t.similarity.toFixed(2)));
    await page.locator('.chart canvas').first().waitFor(WAIT);
    await expect.poll(() => page.locator('.history li').count()).toBeGreaterThan(0);
    expect(await unlabelled()).toEqual([]);
    await shoot('problem');
  });

  it('renames, splits, merges and marks fixed from the page, as the API then shows', async () => {
    const clusterId = Number(/#\/problems\/(\d+)/.exec(page.url())?.[1]);
    await page.getByRole('button', { name: 'Rename…' }).click();
    await page.getByLabel('Title', { exact: true }).fill('App crashes when opening Settings');
    await confirm();
    await page.getByRole('heading', { name: 'App crashes when opening Settings' }).waitFor(WAIT);
    expect(
      (await api<{ cluster: { title: string } }>(`/clusters/${clusterId}`)).cluster.title,
    ).toBe('App crashes when opening Settings');

    await page.locator('.tickets-table tbody tr input[type="checkbox"]').first().check();
    await page.getByRole('button', { name: 'Split…' }).click();
    await page.getByLabel('Title of the new problem (optional)').fill('Settings crash on iPhone');
    await confirm();
    await expect
      .poll(
        async () => (await api<{ ticketsTotal: number }>(`/clusters/${clusterId}`)).ticketsTotal,
      )
      .toBe(1);
    const split = await api<{ clusters: Array<{ id: number; title: string }> }>(
      '/clusters?q=iphone',
    );
    const newId = split.clusters.find((c) => c.title === 'Settings crash on iPhone')?.id as number;
    expect(newId).toBeGreaterThan(0);

    // Merge the new one back into the renamed one, choosing the target by searching.
    await page.goto(`${sb.url}/console#/problems/${newId}`);
    await page.getByRole('button', { name: 'Merge into…' }).click();
    await page.getByLabel('Find the problem').fill('opening sett');
    await page.getByRole('radio', { name: /App crashes when opening Settings/ }).check();
    await confirm();
    await page.waitForURL(new RegExp(`#/problems/${clusterId}$`), WAIT);
    const merged = await api<{ cluster: { status: string; mergedInto: number } }>(
      `/clusters/${newId}`,
    );
    expect(merged.cluster).toMatchObject({ status: 'merged', mergedInto: clusterId });

    await page.locator('.tickets-table tbody tr').nth(1).waitFor(WAIT);
    await page.getByRole('button', { name: 'Mark fixed…' }).click();
    await page.getByLabel('What was done (shown to reporters)').fill('Fixed in 3.2.2');
    await confirm();
    await page.locator('.badge.status-resolved').first().waitFor(WAIT);
    const fixed = await api<{ cluster: { status: string } }>(`/clusters/${clusterId}`);
    expect(fixed.cluster.status).toBe('resolved');
  });

  it('moves a ticket to in progress with a note, and a verified ticket.updated is delivered', async () => {
    const ticket = sb.store.tickets.list({ limit: 100 }).find((t) => /checkout/i.test(t.summary));
    const ref = ticket?.ref as string;
    await page.goto(`${sb.url}/console#/tickets`);
    await page.locator(`tr[data-ref="${ref}"] a`).first().click();
    await page.getByRole('button', { name: 'Start work' }).click();
    await page.getByLabel('Note (optional)').fill('Reproduced on Windows');
    await confirm();
    await page.getByRole('button', { name: 'Close' }).waitFor(WAIT);
    const { ticket: after } = await api<{ ticket: { status: string } }>(`/tickets/${ref}`);
    expect(after.status).toBe('in_progress');

    const verifier = new Webhook(SECRET);
    await expect
      .poll(
        () =>
          receiver.requests
            .map(
              (r) =>
                verifier.verify(r.body, r.headers) as {
                  type: string;
                  data: { ticket: { ref: string } };
                },
            )
            .filter((e) => e.type === 'ticket.updated' && e.data.ticket.ref === ref).length,
        { timeout: 10_000 },
      )
      .toBe(1);
    await page.getByText('Reproduced on Windows').first().waitFor(WAIT);
    expect(await unlabelled()).toEqual([]);
    await shoot('ticket');
    await page.goto(`${sb.url}/console#/tickets`);
    await page.locator('.data-table tbody tr').first().waitFor(WAIT);
    expect(await unlabelled()).toEqual([]);
    await shoot('tickets');
  });

  it('draws the overview, the digests and the knowledge pages', async () => {
    await page.goto(`${sb.url}/console#/overview`);
    await page.locator('.chart canvas').first().waitFor(WAIT);
    await expect.poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(4);
    await shoot('overview');

    const digest = sb.triage.publishDigest({ since: 0, until: Date.now() + 1, topN: 5 });
    await page.goto(`${sb.url}/console#/digests`);
    const link = page.locator(`a[href="#/digests/${digest.id}"]`);
    await link.waitFor(WAIT);
    await shoot('digests');
    await link.click();
    await page.locator('.slack-header').waitFor(WAIT);
    await page.getByRole('heading', { name: 'Markdown' }).waitFor(WAIT);
    await shoot('digest');

    await page.goto(`${sb.url}/console#/knowledge`);
    await page.locator('.data-table tbody tr').first().waitFor(WAIT);
    await shoot('knowledge');
  });

  it('reads at phone width without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${sb.url}/console#/problems`);
    await page.locator('.data-table tbody tr').first().waitFor(WAIT);
    // What sticks out past the right edge, if anything (named, so a failure says what).
    const wider = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter(
          (el) => el.getBoundingClientRect().right > width + 1 && el.closest('thead') === null,
        )
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5);
    });
    expect(wider).toEqual([]);
    await shoot('problems-phone');
  });

  it('saw no page or console error and no request to another origin', () => {
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });
});
