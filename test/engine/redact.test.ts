import { describe, expect, it } from 'vitest';
import { findPII, redactPII } from '../../src/engine/redact.ts';

describe('redactPII: emails', () => {
  it.each([
    ['My login is jane.doe@example.com', 'My login is [email]'],
    ['send it to orders+shop@parcelly-mail.co.uk.', 'send it to [email].'],
    ['<Tom.O-Neil_99@sub.domain.io>', '<[email]>'],
    ['cc: a@b.de, b.c@d.fr', 'cc: [email], [email]'],
    ['mailto:help@store.example', 'mailto:[email]'],
  ])('%s', (input, expected) => {
    expect(redactPII(input)).toBe(expected);
  });

  it('leaves handles and at-signs that are not addresses', () => {
    const text = 'Ping @maria on Discord, meet @ 10:30, price 3 @ $5';
    expect(redactPII(text)).toBe(text);
  });
});

describe('redactPII: phone numbers', () => {
  it.each([
    ['call me on +44 20 7946 0958 after 5', 'call me on [phone] after 5'],
    ['My cell is (415) 555-0132.', 'My cell is [phone].'],
    ['415-555-0132 or 415.555.0132', '[phone] or [phone]'],
    ['US: +1 415 555 0132, toll free 1-800-555-0199', 'US: [phone], toll free [phone]'],
    ['whatsapp +14155550132', 'whatsapp [phone]'],
    ['UK office +44 (0)20 7946 0958', 'UK office [phone]'],
    ['from abroad dial 0044 20 7946 0958', 'from abroad dial [phone]'],
    ['landline 020 7946 0958, mobile 07700 900123', 'landline [phone], mobile [phone]'],
    ['Paris: 06 12 34 56 78 / Berlin: 030 1234567', 'Paris: [phone] / Berlin: [phone]'],
    ['Tel +33 6 12 34 56 78', 'Tel [phone]'],
    ['phone:415-555-0132', 'phone:[phone]'],
  ])('%s', (input, expected) => {
    expect(redactPII(input)).toBe(expected);
  });

  it.each([
    'Order #10432 was charged $49.99 twice',
    'I updated to version 2.3.1 and then 10.15.3',
    'It started in 2023 and again on 2024-03-15',
    'Delivery was due 03/15/2024 or 15.03.2024 between 9:30-11:45',
    'Total €1,299.00 for 1 250 units, refund of $1,415.55',
    'The server at 192.168.1.100 returned 502',
    'Order 1043210432 and order #100-200-3000',
    'UPS tracking 1Z999AA10123456784, ref 12345678',
    'sizes 10-20, SKU 2024-000123',
    'meet at 2024-03-15T10:30:00Z',
  ])('keeps ordinary numbers: %s', (text) => {
    expect(redactPII(text)).toBe(text);
  });
});

describe('redactPII: payment cards', () => {
  it.each([
    ['card 4111 1111 1111 1111 was declined', 'card [card] was declined'],
    ['4242-4242-4242-4242 exp 12/27', '[card] exp 12/27'],
    ['amex 378282246310005', 'amex [card]'],
    ['mastercard 5555555555554444, visa 4012888888881881', 'mastercard [card], visa [card]'],
    ['diners 3056 9309 0259 04', 'diners [card]'],
  ])('%s', (input, expected) => {
    expect(redactPII(input)).toBe(expected);
  });

  it.each([
    'reference 1234 5678 9012 3456',
    'typo in 4111 1111 1111 1112',
    'gift card 4111111111111112',
  ])('keeps a 16-digit number that fails Luhn: %s', (text) => {
    expect(redactPII(text)).toBe(text);
  });
});

describe('redactPII: IBANs', () => {
  it.each([
    ['refund to GB82 WEST 1234 5698 7654 32 please', 'refund to [iban] please'],
    ['IBAN: DE89370400440532013000.', 'IBAN: [iban].'],
    ['iban fr14 2004 1010 0505 0001 3m02 606 ok', 'iban [iban] ok'],
    ['NL91 ABNA 0417 1643 00 thanks', '[iban] thanks'],
    ['NO9386011117947 (Norway)', '[iban] (Norway)'],
  ])('%s', (input, expected) => {
    expect(redactPII(input)).toBe(expected);
  });

  it.each([
    'GB82 WEST 1234 5698 7654 33',
    'DE89 3704 0044 0532 0130 02',
    'tracking 9400 0044 0532 0130 0210 99',
    'ZZ12 3456 7890 1234 5678 90',
  ])('keeps a look-alike that fails the check: %s', (text) => {
    expect(redactPII(text)).toBe(text);
  });
});

describe('redactPII: secrets', () => {
  it.each([
    ['my key is sk-proj-abcDEF1234567890abcdEFGH', 'my key is [secret]'],
    ['OPENAI_API_KEY=sk-4f9aXkq1Lm2Np3Qr5St6Uv7Wx8Yz', 'OPENAI_API_KEY=[secret]'],
    [
      'stripe sk_live_51HqLyjWDarjtT1zdp7dc and pk_test_TYooMQauvdEDq54NiTphI7jx',
      'stripe [secret] and [secret]',
    ],
    ['token xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx', 'token [secret]'],
    [
      'xoxp-2222222222-3333333333-abcdEFGH and xapp-1-A0123-456789-abcdef01',
      '[secret] and [secret]',
    ],
    ['ghp_aBcD1234EfGh5678IjKl9012MnOp3456QrSt', '[secret]'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', '[secret]'],
    ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_access_key_id = [secret]'],
    ['WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'WEBHOOK_SECRET=[secret]'],
    ['Authorization: Bearer abc.def-ghi_jkl123456', 'Authorization: Bearer [secret]'],
    ['header was "Basic dXNlcjpwYXNzd29yZA=="', 'header was "Basic [secret]"'],
    ['password: hunter2secret, api_key=abcd1234efgh', 'password: [secret], api_key=[secret]'],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'jwt [secret]',
    ],
    ['reset link /reset?t=Zq8vN2xR4kLp7TgW1yHc6mBd9sFj3QaE', 'reset link /reset?t=[secret]'],
    ['hex 9d2d505dfc64a8ff63a252d90286cc1e', 'hex [secret]'],
    ['letters only NgjpsUrfXabQvOpjMtPSuzAFmnnpDapj', 'letters only [secret]'],
  ])('%s', (input, expected) => {
    expect(redactPII(input)).toBe(expected);
  });

  it.each([
    'see https://shop.parcelly.app/products/handmade-ceramic-coffee-mug-large-blue-2024',
    'error ERR_PAYMENT_DECLINED_INSUFFICIENT_FUNDS_51 in getUserAccountSettingsFromServerCache',
    'theme parcelly-storefront-theme-minimal-v2-dark-mode is broken',
    'request id 123e4567-e89b-12d3-a456-426614174000',
    'item PRD-2024-000123-ORDER-000456-ITEM-000789',
    'I am on the Basic plan and my task-runner keeps failing',
    'my password reset email never arrived',
    'the bearer of this card is me',
  ])('keeps ordinary text: %s', (text) => {
    expect(redactPII(text)).toBe(text);
  });
});

describe('redactPII: whole messages', () => {
  it('redacts a realistic support message and keeps what the agent needs', () => {
    const message =
      'Hi, order #10432 ($49.99) failed on app 2.3.1. Card 4242 4242 4242 4242 was charged ' +
      'on 2024-03-15. Reach me at jo.smith@gmail.com or +44 20 7946 0958. My API key ' +
      'sk_live_51HqLyjWDarjtT1zdp7dc stopped working too.';
    expect(redactPII(message)).toBe(
      'Hi, order #10432 ($49.99) failed on app 2.3.1. Card [card] was charged ' +
        'on 2024-03-15. Reach me at [email] or [phone]. My API key ' +
        '[secret] stopped working too.',
    );
  });

  it('is idempotent and leaves clean text untouched', () => {
    const once = redactPII('mail a@b.com, call (415) 555-0132');
    expect(redactPII(once)).toBe(once);
    expect(redactPII('How do I reset my password?')).toBe('How do I reset my password?');
    expect(redactPII('')).toBe('');
  });
});

describe('findPII', () => {
  it('returns kinds and positions in text order', () => {
    const text = 'call +1 415 555 0132 or mail x@y.io';
    expect(findPII(text)).toEqual([
      { kind: 'phone', start: 5, end: 20, value: '+1 415 555 0132' },
      { kind: 'email', start: 29, end: 35, value: 'x@y.io' },
    ]);
  });

  it('lets the more specific kind win when patterns overlap', () => {
    // A phone-looking run inside an address is part of the address, not a phone number.
    expect(findPII('4155550132@sms.carrier.com').map((m) => m.kind)).toEqual(['email']);
  });
});
