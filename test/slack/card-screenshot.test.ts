/**
 * A picture of the agent's card as Slack draws it, for the docs: the card the real engine
 * posts for a Telegram customer (recorded by the fake Slack), drawn in Chromium by the
 * console's own Block Kit renderer (`/console/slack-preview.js`) on a page the real server
 * serves. Saved to `<tmp>/switchboard-console-screenshots/slack-card.png`; with
 * `UPDATE_DOCS_IMAGES=1` also copied to `docs/images/slack-card.png` (the README's picture),
 * so an ordinary test run leaves the work tree as it was. Skipped where there is no Chromium
 * (outside CI).
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateMessage } from '../contract/telegram.ts';
import { type AllPlatforms, startAllPlatforms } from '../cross-platform/world.ts';
import { buildBlockActions } from '../fakes/slack/index.ts';
import { CHROMIUM, LAUNCH_ARGS, SCREENSHOTS } from '../helpers/browser.ts';
import { eventually, textOf } from './helpers.ts';

const DOCS_IMAGE = join('docs', 'images', 'slack-card.png');
const MAYA = 5_123_409_031;
const TOMAS = 5_123_409_032;

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('a picture of the agent card', () => {
  let world: AllPlatforms | undefined;

  beforeAll(async () => {
    world = await startAllPlatforms();
  }, 60_000);
  afterAll(() => world?.stop());

  it('draws the card the engine posted, with its buttons, and saves it', async () => {
    const { slack, telegram, sb } = world as AllPlatforms;
    // A second report first, so Maya's ticket is one of two in its cluster.
    telegram.pushUpdate(
      privateMessage(
        'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
        TOMAS,
        1,
      ),
    );
    await telegram.waitFor((s) => s.chatId === TOMAS && /T-\d{4}/.test(s.text));
    telegram.pushUpdate(
      privateMessage(
        'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
        MAYA,
        1,
      ),
    );
    await telegram.waitFor((s) => s.chatId === MAYA && /T-\d{4}/.test(s.text));
    telegram.pushUpdate(
      privateMessage(
        'Also my password reset email never arrives. I want to talk to a person',
        MAYA,
        2,
      ),
    );
    const handoff = await eventually(() => {
      const h = sb.store.handoffs.latestFor(`telegram:${MAYA}`);
      return h?.deskRef ? h : undefined;
    }, 'the handoff post');
    await slack.socket.sendInteractive(
      buildBlockActions({
        value: `handoff_${handoff.id}`,
        messageTs: handoff.deskRef?.ts as string,
        userId: slack.ids.agentId,
        responseUrl: slack.responseUrl(),
      }),
    );
    const card = await slack.waitFor(
      (p) => p.thread_ts === handoff.deskRef?.ts && textOf(p).includes('Agent card'),
    );
    const drawn = await eventually(() => {
      const now = slack.updates.filter((u) => u.ts === card.ts).at(-1) ?? card;
      return textOf(now).includes('Suggested reply') ? now : undefined;
    }, 'the card with its draft');

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 760, height: 900 } })
      ).newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${sb.url}/console`);
      await page.getByLabel('Admin token').fill(sb.adminToken);
      await page.getByRole('button', { name: 'Open the console' }).click();
      // A string, so the test runner leaves the page's own module import alone.
      await page.evaluate(
        "import('/console/slack-preview.js').then((m) => { window.slackPreview = m.slackPreview; })",
      );
      const buttons = await page.evaluate((message) => {
        const { slackPreview } = window as unknown as {
          slackPreview: (messages: unknown[]) => HTMLElement;
        };
        const preview = slackPreview([message]);
        const stage = document.createElement('main');
        stage.style.cssText = 'max-width:720px;padding:16px';
        stage.append(preview);
        document.body.replaceChildren(stage);
        return [...preview.querySelectorAll('.slack-actions .slack-button')].map(
          (c) => c.textContent,
        );
      }, drawn);
      expect(buttons).toEqual(['Send', 'Edit', 'Dismiss']);
      const preview = page.locator('.slack-preview');
      await expect.poll(() => preview.textContent()).toContain('Maya (Telegram)');
      expect(await preview.textContent()).toMatch(/Confidence: \d{1,3}%/);
      expect(await preview.textContent()).toMatch(/one of 2 reports of/);
      expect(await preview.locator('blockquote').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);

      mkdirSync(SCREENSHOTS, { recursive: true });
      const shot = join(SCREENSHOTS, 'slack-card.png');
      await preview.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      if (process.env.UPDATE_DOCS_IMAGES === '1') {
        mkdirSync(join('docs', 'images'), { recursive: true });
        copyFileSync(shot, DOCS_IMAGE);
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});
