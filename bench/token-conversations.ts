/**
 * The fixed conversations `npm run bench -- tokens` replays through the web chat, written
 * against the sample docs (config/knowledge): short ones, long ones where the customer goes
 * back and forth across topics, and ones that end with a handoff an agent claims.
 */

/** One conversation: the customer's lines, and for a handoff what they write after the claim. */
export interface TokenConversation {
  name: string;
  lines: readonly string[];
  /** Customer lines after an agent claims the handoff the last of `lines` asked for. */
  afterClaim?: readonly string[];
}

const SHORT: TokenConversation[] = [
  {
    name: 'password',
    lines: [
      'How do I reset my password?',
      'I never got the reset email',
      'Found it in spam. Does the link expire?',
    ],
  },
  {
    name: 'discount',
    lines: [
      'Can I use a discount code at checkout?',
      'Can I limit a code to one use per customer?',
    ],
  },
  {
    name: 'labels',
    lines: [
      'How do I print a shipping label?',
      'Can I print labels for several orders at once?',
      'Which label sizes are supported?',
    ],
  },
  {
    name: 'domain',
    lines: ['How do I set up a custom domain?', 'How long until the DNS change works?'],
  },
  {
    name: 'push',
    lines: [
      'Push notifications stopped arriving on my phone',
      'It is an iPhone and notifications are on in the iOS settings',
      'Should I reinstall the app?',
    ],
  },
  {
    name: 'invoices',
    lines: ['Where can I download my invoices?', 'Do the invoices show VAT separately?'],
  },
];

/** A merchant setting up their store over an afternoon, topic after topic. */
const BACK_AND_FORTH = [
  'Hi, I just opened my store and I am setting everything up',
  'How do I import my products from Shopify?',
  'Will the product images come across too?',
  'Some products came in without stock counts. How do I fix inventory?',
  'Can I hide a product when it is out of stock?',
  'Next question: how do I connect Stripe?',
  'Stripe says my account needs verification, is that on your side?',
  'Which payment methods can customers use at checkout?',
  'Can customers check out without an account?',
  'How do I set shipping rates by country?',
  'Can I offer free shipping over a certain order total?',
  'How do taxes at checkout work for EU customers?',
  'OK. How do I print a shipping label once an order comes in?',
  'Where do tracking numbers show up for the customer?',
  'What happens when a parcel gets lost?',
  'How do returns and exchanges work?',
  'Can I refund only part of an order?',
  'Back to the storefront: how do I change the theme?',
  'Will changing the theme lose my product pages?',
  'How big should product images be?',
  'How do I set up a custom domain?',
  'Can I password-protect the store until launch?',
  'How do I turn on order alerts on my phone?',
  'I get too many emails. How do I switch to a digest?',
  'Can my business partner get their own login?',
  'What can a staff member do compared with an admin?',
  'How do I turn on two-factor authentication?',
  'What if I lose my phone with the authenticator app?',
  'Does the mobile app work offline at a market stall?',
  'Can I scan barcodes with the app to find products?',
  'The app crashed when I opened settings. How do I clear the cache?',
  'It still crashes after clearing the cache. Should I reinstall?',
  'How do I report a crash so the developers see it?',
  'Can I connect Zapier to send new orders to a spreadsheet?',
  'Where do I create an API key for that?',
  'Last one: how do I set up Google Analytics?',
];

/** `count` lines of the back-and-forth, starting at `from` and wrapping around. */
function backAndForth(from: number, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => BACK_AND_FORTH[(from + i) % BACK_AND_FORTH.length] as string,
  );
}

const LONG: TokenConversation[] = [
  { name: 'setup-24', lines: backAndForth(0, 24) },
  { name: 'setup-30', lines: backAndForth(12, 30) },
  { name: 'setup-36', lines: backAndForth(6, 36) },
];

const HANDOFFS: TokenConversation[] = [
  {
    name: 'double-charge',
    lines: [
      'I was charged twice for my subscription this month',
      'Yes, two charges of 29 dollars on the same day',
      'Can I talk to someone from support please?',
    ],
    afterClaim: [
      'It was the card I have on file',
      'Will the money go back to the same card?',
      'How long does that usually take?',
    ],
  },
  {
    name: 'declined',
    lines: [
      'Every customer gets card declined at checkout since this morning',
      'It happens with all cards, Visa and Mastercard',
      'Nothing changed on our side, we did not touch the settings',
      'I need a human, we are losing sales',
    ],
    afterClaim: [
      'The Stripe dashboard shows no payment attempts at all',
      'We are on the Growth plan',
      'Is 3-D Secure something we have to switch on?',
      'OK, trying a test order now',
    ],
  },
  {
    name: 'long-then-person',
    lines: [...backAndForth(18, 20), 'This is going nowhere. Can I speak to someone from support?'],
    afterClaim: [
      'The app still crashes when I open settings on my Pixel 7',
      'Android 14, app version 3.2.1',
      'Clearing the cache did not help',
      'Reinstalling did not help either',
      'Thanks, I will wait for the fix',
    ],
  },
];

/** Every conversation the benchmark replays, in order. */
export const TOKEN_CONVERSATIONS: readonly TokenConversation[] = [...SHORT, ...LONG, ...HANDOFFS];
