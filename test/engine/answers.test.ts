/**
 * Questions find the section that answers them, through the web chat of a running
 * Switchboard (offline assistant) on a made-up product's docs: everyday words are not taken
 * for misspellings of the docs' words, glossary phrases count only as phrases (their words
 * in one sentence, their "not" kept), a glossary word counts in the plural too, a heading's
 * initials that spell an everyday word name nothing, and a question the docs do not cover
 * gets the honest "not sure" with the offer of a person.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Switchboard } from '../../src/main.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';

/** Docs for "Pantry", a made-up meal-kit subscription with an app. */
const DOCS: Record<string, string> = {
  'account.md': `# Account

## Team members

Invite staff to your household account under **Settings › Team**. Each staff member gets
their own login and a role: Owner, Cook or Viewer. Only the Owner can change the plan.

## Changing your email address

Open **Settings › Profile**, type the new address and confirm it from the link we send there.
Your login changes once you confirm.
`,
  'deliveries.md': `# Deliveries

## Returning a box

To send a box back, open the order and press **Return**. Print the label, pack the box and drop
it at any post office within 14 days. We refund the box once it reaches us. If something
arrived damaged, keep it and send us a photo from the order page instead.

## Skipping a week

Skip any week under **Plan › Upcoming boxes** up to three days before it ships. A skipped
week is not charged, and you can skip as many weeks in a row as you like.

## Delivery days

Boxes arrive on the weekday you picked, between 8 am and 6 pm. Change the day under
**Plan › Delivery day** up to three days before the next box.
`,
  'plans.md': `# Plans

## Pantry Plus

Pantry Plus adds a dessert to every box and free delivery. It costs 6 euros a month on top of
your plan and renews with it.

## Invoices

Every payment gets an invoice with VAT, shown under **Billing › Invoices** as a PDF. The
invoice for a Pantry Plus month lists it as its own line.

## Cancelling your plan

Cancel under **Plan › Cancel**. Boxes already packed still arrive; nothing is charged after
the current week.
`,
  'recipes.md': `# Recipes

## Shared cookbooks

A shared cookbook is a collection of recipes several people can see. Its owner decides under
**Cookbook › Members** whether members may add recipes or only look at them.

## Removing people from a cookbook

Open the cookbook, tap **Members** and remove the person. They lose access at once; recipes
they added stay in the cookbook.
`,
  'app.md': `# App

## Crashes and troubleshooting

If the app crashes or shows old menus, sign out and in again, then reinstall it from your
app store. Your plan and orders live on our servers, so nothing is lost.

## Weekly menu

New recipes load in the app every Thursday for the week after. Pick your meals before Sunday
night, or we choose for you from your favourites.

## Offline recipes

Recipes you opened once stay readable without a connection, so you can cook where the
kitchen has no signal.
`,
};

const GLOSSARY = {
  'Account › Team members': ['staff accounts', 'roles'],
  'Deliveries › Returning a box': ['send back', 'return label'],
  'Deliveries › Delivery days': ['van', 'delivery slot'],
  'Plans › Pantry Plus': ['plus', 'dessert'],
  'Plans › Invoices': ['receipt', 'vat'],
  'Plans › Cancelling your plan': ['stop paying', 'cancel subscription'],
  'Recipes › Removing people from a cookbook': ['stop sharing', 'kick out'],
  'App › Offline recipes': ['no internet', 'not loading'],
};

describe('questions find the section that answers them', () => {
  const data = tempDataDir();
  let sb: Switchboard;

  /** Sends one question in a new conversation and resolves with the bot's reply. */
  async function ask(text: string) {
    const client = webClient(sb.url);
    const { body } = await client.send(text);
    await sb.engine.idle();
    const { messages, handoff } = await client.messages(body.conversationId);
    return { reply: messages.at(-1)?.text ?? '', handoff, conversationId: body.conversationId };
  }

  beforeAll(async () => {
    const docs = join(data.dir, 'docs');
    mkdirSync(docs);
    for (const [file, text] of Object.entries(DOCS)) writeFileSync(join(docs, file), text);
    writeFileSync(join(docs, 'glossary.json'), JSON.stringify(GLOSSARY));
    sb = await startTestSwitchboard({ DATA_DIR: data.dir, KNOWLEDGE_DIR: docs });
  });
  afterAll(async () => {
    await sb?.stop();
    data.remove();
  });

  it('cites the section whose glossary word the question uses in the plural', async () => {
    const { reply } = await ask('what time do the vans come');
    expect(reply).toContain('Source: Deliveries › Delivery days');
  });

  it('takes a glossary phrase only when its words are in one sentence', async () => {
    // "stop sharing" names removing people; "share ... . ... stop her adding" does not.
    const { reply } = await ask(
      'My sister and I share a cookbook. Can I stop her adding recipes and let her just look?',
    );
    expect(reply).toContain('Source: Recipes › Shared cookbooks');
  });

  it('takes a glossary phrase with a "not" only when the question says "not" too', async () => {
    // "not loading" names offline recipes; loading new recipes is the weekly menu.
    const weekly = await ask('when are the new recipes loading');
    expect(weekly.reply).toContain('Source: App › Weekly menu');
    const failing = await ask('the recipes are not loading');
    expect(failing.reply).toContain('Source: App › Offline recipes');
  });

  it('leaves everyday words alone and still corrects misspellings to the docs words', async () => {
    // "stuff" is not a misspelled "staff" (Team members).
    const everyday = await ask('what do I do with stuff that arrived damaged');
    expect(everyday.reply).toContain('Source: Deliveries › Returning a box');
    const typo = await ask('how do i cancle my pantry subscripton');
    expect(typo.reply).toContain('Source: Plans › Cancelling your plan');
  });

  it('says it is not sure when only a heading initial matches, and offers a person', async () => {
    // "Crashes and troubleshooting" must not answer to "cat".
    const { reply, conversationId } = await ask("what's a good name for a cat");
    expect(reply).toMatch(/not sure/i);
    expect(reply).not.toMatch(/Source:/);
    expect(reply).toMatch(/person/);
    const client = webClient(sb.url);
    await client.send('yes', conversationId);
    await sb.engine.idle();
    expect((await client.messages(conversationId)).handoff).not.toBeNull();
  });
});
