import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const manifest = readFileSync('slack-app-manifest.yaml', 'utf8');
const sources = readdirSync('bots/slack')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join('bots/slack', f), 'utf8'))
  .join('\n');

/** The list items (`- x`) of the manifest, comments left out. */
const listed = new Set(
  manifest
    .split('\n')
    .map((line) => /^\s*-\s+([\w:.]+)\s*$/.exec(line)?.[1])
    .filter((item): item is string => item !== undefined),
);

/** The scopes each Web API method the adapter calls needs (a private channel's included). */
const SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.members': ['channels:read', 'groups:read'],
  'users.info': ['users:read'],
  // Modals need no scope, only interactivity (the Edit button's trigger_id).
  'views.open': [],
};

describe('the Slack app manifest', () => {
  it('grants a scope for every Web API method the adapter calls', () => {
    const methods = new Set(
      [...sources.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`),
    );
    expect(methods.size).toBeGreaterThan(4);
    for (const method of methods) {
      expect(SCOPES, `add ${method} to this test and its scope to the manifest`).toHaveProperty([
        method,
      ]);
      for (const scope of SCOPES[method] ?? []) expect(listed, method).toContain(scope);
    }
  });

  it('subscribes to the events the adapter listens to, with their scopes', () => {
    const events = {
      app_mention: 'app_mentions:read',
      'message.im': 'im:history',
      'message.channels': 'channels:history',
      'message.groups': 'groups:history',
    };
    for (const [event, scope] of Object.entries(events)) {
      expect(listed).toContain(event);
      expect(listed).toContain(scope);
    }
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/messages_tab_enabled: true/);
    expect(manifest).toMatch(/socket_mode_enabled: true/);
  });
});
