import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { type Switchboard, startSwitchboard } from '../../src/main.ts';
import { CHROMIUM, LAUNCH_ARGS } from '../helpers/browser.ts';

/**
 * The customer chat and the agent desk in a real Chromium, against the real server:
 * what a customer and an agent see and do. Debian's chromium is used (no downloads);
 * set E2E_SCREENSHOTS=<dir> to keep screenshots of both pages.
 */

/** Longest wait for anything to appear on a page. */
const WAIT = { timeout: 15_000 };

const hasChromium = existsSync(CHROMIUM);
// Under CI the suite must run (the CI script installs chromium); locally it may be absent.
const skip = !hasChromium && !process.env.CI;
if (skip) {
  console.warn(
    `browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium); they always run under CI`,
  );
}

describe.skipIf(skip)('the web chat and desk pages in a browser', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-browser-'));
  const screenshots = process.env.E2E_SCREENSHOTS;
  let sb: Switchboard;
  let browser: Browser;
  /** Uncaught page errors and requests that left loopback, across all pages. */
  const pageErrors: string[] = [];
  const external: string[] = [];

  beforeAll(async () => {
    sb = await startSwitchboard(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
    await sb.ready;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sb?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh browser profile (its own localStorage), watched for errors and outside requests. */
  async function newPage(viewport = { width: 1200, height: 820 }): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
    page.on('request', (r) => {
      const host = new URL(r.url()).hostname;
      if (!['127.0.0.1', 'localhost'].includes(host) && !r.url().startsWith('data:')) {
        external.push(r.url());
      }
    });
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (screenshots) await page.screenshot({ path: join(screenshots, `${name}.png`) });
  }

  async function say(chat: Page, text: string): Promise<void> {
    await chat.fill('#message-input', text);
    await chat.press('#message-input', 'Enter');
    await chat.locator('.message.customer', { hasText: text }).waitFor(WAIT);
  }

  it('answers a docs question with its source, rendered as formatted text', async () => {
    const chat = await newPage();
    await chat.goto(`${sb.url}/`);
    await expect(chat.locator('h1').textContent()).resolves.toBe('Parcelly Support');

    await say(chat, 'How do I reset my password?');
    const answer = chat.locator('.message.bot', { hasText: 'Source:' });
    await answer.waitFor(WAIT);
    const text = (await answer.textContent()) ?? '';
    expect(text).toContain('Resetting your password');
    // The steps arrive as a real list with bold labels, not raw markdown.
    expect(await answer.locator('ol > li').count()).toBeGreaterThanOrEqual(4);
    expect(await answer.locator('strong', { hasText: 'Forgot password?' }).count()).toBe(1);
    expect(text).not.toContain('**');
    await chat.locator('#typing').waitFor({ state: 'hidden', ...WAIT });
    expect(await chat.locator('#message-input').inputValue()).toBe('');
    expect(await chat.locator('#message-input').isEnabled()).toBe(true);
    await shoot(chat, 'chat-answer');

    // A reload continues the same conversation, history included.
    await chat.reload();
    await chat.locator('.message.bot', { hasText: 'Source:' }).waitFor(WAIT);
    expect(await chat.locator('.message.customer').count()).toBe(1);

    // A message over the limit is refused with a readable reason, not a stack trace.
    await chat.evaluate(() => {
      const input = document.querySelector<HTMLTextAreaElement>('#message-input');
      if (input) input.removeAttribute('maxlength');
    });
    await chat.fill('#message-input', 'x'.repeat(4001));
    await chat.click('#send');
    const error = chat.locator('#chat-error');
    await error.waitFor(WAIT);
    expect(await error.textContent()).toMatch(/at most 4000 characters/);

    // "New conversation" starts over: an empty chat that stays empty after a reload.
    await chat.click('#new-conversation');
    await chat.locator('#welcome').waitFor(WAIT);
    expect(await chat.locator('.message').count()).toBe(0);
    await chat.reload();
    await chat.locator('#welcome').waitFor(WAIT);
    expect(await chat.locator('.message').count()).toBe(0);
    await chat.context().close();
  }, 60_000);

  it('hands the chat to an agent on the desk, live in both directions', async () => {
    const desk = await newPage({ width: 1280, height: 820 });
    await desk.goto(`${sb.url}/desk#token=${sb.adminToken}`);
    await desk.locator('#desk').waitFor(WAIT);
    expect(new URL(desk.url()).hash).toBe(''); // the token leaves the address bar
    await desk.fill('#agent-name', 'Sam');
    await desk.locator('#live-status[data-state="on"]').waitFor(WAIT);

    const chat = await newPage({ width: 420, height: 820 });
    await chat.goto(`${sb.url}/`);
    await say(chat, 'I want to talk to a person');
    await chat.locator('.message.bot', { hasText: /human/i }).waitFor(WAIT);

    // The handoff appears on the already-open desk without a reload.
    const item = desk.locator('[data-handoff-id]', { hasText: 'talk to a person' });
    await item.waitFor(WAIT);
    await item.click();
    await desk
      .locator('#conversation .message.customer', { hasText: 'talk to a person' })
      .waitFor(WAIT);
    await desk.click('#claim');
    await desk.locator('#reply-input').waitFor(WAIT);
    await chat.locator('.message.system', { hasText: 'Sam from the support team' }).waitFor(WAIT);

    // An internal note stays on the desk; the reply reaches the customer, named.
    await desk.fill('#reply-input', '// checking their order history first');
    await desk.click('#reply-send');
    await desk
      .locator('.message.internal', { hasText: 'checking their order history' })
      .waitFor(WAIT);
    await desk.fill('#reply-input', "Hi, I'm Sam — how can I help?");
    await desk.click('#reply-send');
    const reply = chat.locator('.message.agent', { hasText: "Hi, I'm Sam — how can I help?" });
    await reply.waitFor(WAIT);
    expect(await reply.locator('.author').textContent()).toContain('Sam');
    expect(await chat.locator('.messages').textContent()).not.toContain('order history');

    // The customer's next message shows up in the open conversation on the desk.
    await say(chat, 'My order PX-1042 never arrived');
    await desk.locator('#conversation .message.customer', { hasText: 'PX-1042' }).waitFor(WAIT);
    // The bot stays quiet while a person has the conversation.
    expect(await chat.locator('#typing').isVisible()).toBe(false);
    expect(await chat.locator('.message.bot').count()).toBe(1);
    await shoot(desk, 'desk-claimed');

    await desk.click('#resolve');
    await chat
      .locator('.message.system', { hasText: 'marked this conversation as resolved' })
      .waitFor(WAIT);
    await desk.locator('#claim').waitFor({ state: 'hidden', ...WAIT });
    expect(await desk.locator('#reply-form').isVisible()).toBe(false);
    expect(await desk.locator('#detail-meta').textContent()).toContain('Resolved by Sam');
    await shoot(chat, 'chat-handoff');
    await shoot(desk, 'desk-resolved');
    await desk.context().close();
    await chat.context().close();
  }, 90_000);

  it('asks for the admin token again when the one it has is refused', async () => {
    const desk = await newPage();
    await desk.goto(`${sb.url}/desk#token=not-the-token`);
    const error = desk.locator('#token-error');
    await error.waitFor(WAIT);
    expect(await error.textContent()).toMatch(/not accepted/);
    await shoot(desk, 'desk-token');
    await desk.fill('#token-input', sb.adminToken);
    await desk.click('#token-submit');
    await desk.locator('#desk').waitFor(WAIT);
    await desk.locator('#live-status[data-state="on"]').waitFor(WAIT);
    expect(await desk.locator('#token-panel').isVisible()).toBe(false);
    await desk.context().close();
  }, 60_000);

  it('loaded nothing from outside and threw no page errors', () => {
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
