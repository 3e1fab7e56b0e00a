/**
 * The merge, split and resolve routes with the cluster actions handed to them: validation,
 * how an action's refusal reaches the client, and the "fix is out" notices that follow a
 * resolve, seen in the reporters' real web chats. The actions here are a small in-test
 * implementation over the schema; the real ones come from the cluster engine.
 */
import type { Server } from 'node:http';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterActions } from '../../src/engine/clusters/index.ts';
import { triageRoutes } from '../../src/http/api/triage.ts';
import { createApp } from '../../src/http/app.ts';
import { bearerAuth } from '../../src/http/errors.ts';
import { createLogger } from '../../src/log.ts';
import type { Switchboard } from '../../src/main.ts';
import type { Store } from '../../src/store/index.ts';
import { startTestSwitchboard, tempDataDir, webClient } from '../helpers/switchboard.ts';
import { attachTicket, seedCluster } from './seed.ts';

class ActionError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Cluster actions over the schema, enough to drive the routes. */
function schemaActions(store: Store): ClusterActions & { log: string[] } {
  const log: string[] = [];
  const open = (id: number) => {
    const c = store.clusterViews.get(id);
    if (!c) throw new ActionError('not_found', `no cluster ${id}`);
    if (c.status !== 'open') throw new ActionError('conflict', `cluster ${id} is ${c.status}`);
  };
  return {
    log,
    merge(targetId, sourceIds, actor) {
      for (const id of [targetId, ...sourceIds]) open(id);
      for (const id of sourceIds) {
        store.db
          .prepare('UPDATE tickets SET cluster_id = ? WHERE cluster_id = ?')
          .run(targetId, id);
        store.db
          .prepare("UPDATE clusters SET status = 'merged', merged_into = ? WHERE id = ?")
          .run(targetId, id);
      }
      log.push(`${actor} merged ${sourceIds} into ${targetId}`);
    },
    split(clusterId, ticketIds, actor) {
      open(clusterId);
      const newId = seedCluster(store, { title: 'split off' });
      for (const id of ticketIds) {
        const moved = store.db
          .prepare('UPDATE tickets SET cluster_id = ? WHERE id = ? AND cluster_id = ?')
          .run(newId, id, clusterId).changes;
        if (!moved) throw new ActionError('invalid', `ticket ${id} is not in cluster ${clusterId}`);
      }
      store.db
        .prepare(
          `UPDATE clusters SET
             first_seen = (SELECT MIN(created_at) FROM tickets WHERE cluster_id = @id),
             last_seen = (SELECT MAX(created_at) FROM tickets WHERE cluster_id = @id)
           WHERE id = @id`,
        )
        .run({ id: newId });
      log.push(`${actor} split ${ticketIds} from ${clusterId}`);
      return newId;
    },
    resolve(clusterId, { actor, resolution, notifyReporters }) {
      open(clusterId);
      store.db
        .prepare("UPDATE clusters SET status = 'resolved', resolved_at = ? WHERE id = ?")
        .run(Date.now(), clusterId);
      log.push(`${actor} resolved ${clusterId} (${resolution ?? '-'}, notify ${notifyReporters})`);
    },
  };
}

describe('merge, split and resolve through the admin API', () => {
  const data = tempDataDir();
  let sb: Switchboard;
  let server: Server;
  let base: string;
  let actions: ReturnType<typeof schemaActions>;
  let commits = 0;
  const chats: Array<{ conversationId: string; ref: string }> = [];

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sb = await startTestSwitchboard({ DATA_DIR: data.dir });
    const client = webClient(sb.url);
    for (const text of [
      'The app crashes every time I open settings on my iPhone 14 with iOS 17, version 3.2.1',
      'Settings screen closes the app on my Pixel 7, Android 14, app version 3.2.1',
    ]) {
      const { body } = await client.send(text);
      await sb.engine.idle();
      const ref = sb.store.tickets.forConversation(body.conversationId)[0]?.ref as string;
      chats.push({ conversationId: body.conversationId, ref });
    }
    actions = schemaActions(sb.store);
    const api = Router();
    api.use(bearerAuth(sb.adminToken));
    api.use(
      triageRoutes({
        store: sb.store,
        clusterActions: actions,
        notify: (id, text) => sb.engine.notify(id, text),
        digest: { topN: 10, timezone: 'UTC' },
        onCommit: () => commits++,
      }),
    );
    const app = createApp({
      logger: createLogger('silent'),
      isReady: () => true,
      channels: () => ({}),
      routes: [],
      api,
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await sb?.stop();
    data.remove();
  });

  it('merges, splits and resolves, telling every reporter in their own chat', async () => {
    const [iphone, pixel] = chats as [(typeof chats)[0], (typeof chats)[0]];
    const a = seedCluster(sb.store, { title: 'app closes when opening settings', impact: 5 });
    const b = seedCluster(sb.store, { title: 'settings screen closes the app', impact: 2 });
    attachTicket(sb.store, iphone.ref, a);
    attachTicket(sb.store, pixel.ref, b);

    const merged = await post(`/clusters/${a}/merge`, { sourceIds: [b], actor: 'dev' });
    expect(merged).toMatchObject({ status: 200, body: { merged: [b], cluster: { id: a } } });
    expect(sb.store.tickets.byRef(pixel.ref)?.clusterId).toBe(a);

    const pixelId = sb.store.tickets.byRef(pixel.ref)?.id as number;
    const split = await post(`/clusters/${a}/split`, { ticketIds: [pixelId] });
    expect(split.status).toBe(201);
    const newId = (split.body.newCluster as { id: number }).id;
    expect(sb.store.tickets.byRef(pixel.ref)?.clusterId).toBe(newId);
    attachTicket(sb.store, pixel.ref, a);

    const resolved = await post(`/clusters/${a}/resolve`, { resolution: 'Fixed in 3.2.2' });
    expect(resolved).toMatchObject({
      status: 200,
      body: { cluster: { id: a, status: 'resolved' }, reporters: 2, notified: 2 },
    });
    expect(actions.log).toEqual([
      `dev merged ${b} into ${a}`,
      `admin split ${pixelId} from ${a}`,
      `admin resolved ${a} (Fixed in 3.2.2, notify true)`,
    ]);
    expect(commits).toBe(3);
    for (const chat of chats) {
      const { messages } = await webClient(sb.url).messages(chat.conversationId);
      expect(messages.filter((m) => m.role === 'system').map((m) => m.text)).toEqual([
        `The fix for the problem you reported (${chat.ref}) is out. Fixed in 3.2.2. Thanks for reporting it; if it still happens, just reply here.`,
      ]);
    }
  });

  it('resolves quietly with notify false', async () => {
    const c = seedCluster(sb.store, { title: 'quiet fix' });
    attachTicket(sb.store, chats[0]?.ref as string, c);
    const before = (await webClient(sb.url).messages(chats[0]?.conversationId as string)).messages;
    const res = await post(`/clusters/${c}/resolve`, { notify: false });
    expect(res.body).toMatchObject({ reporters: 0, notified: 0 });
    const after = (await webClient(sb.url).messages(chats[0]?.conversationId as string)).messages;
    expect(after).toHaveLength(before.length);
  });

  it('passes refusals on as 404, 409 and 400, and validates bodies', async () => {
    const open = seedCluster(sb.store, { title: 'still open' });
    const done = seedCluster(sb.store, { title: 'done', status: 'resolved' });
    expect((await post('/clusters/99999/resolve', {})).status).toBe(404);
    const again = await post(`/clusters/${done}/resolve`, {});
    expect(again).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect((await post(`/clusters/${open}/split`, { ticketIds: [123456] })).status).toBe(400);
    const cases: Array<[string, unknown, RegExp]> = [
      [`/clusters/${open}/merge`, { sourceIds: [open] }, /cannot merge into itself/],
      [`/clusters/${open}/merge`, { sourceIds: [] }, /at least one cluster/],
      [`/clusters/${open}/merge`, {}, /sourceIds/],
      [`/clusters/${open}/merge`, { sourceIds: [done, done] }, /must not repeat/],
      [`/clusters/${open}/split`, { ticketIds: 'all' }, /ticketIds/],
      [`/clusters/${open}/resolve`, { notify: 'yes' }, /notify/],
      [`/clusters/${open}/resolve`, { resolution: 'x'.repeat(501) }, /resolution/],
      [`/clusters/${open}/resolve`, { notfy: false }, /Unrecognized key: "notfy"/],
      [`/clusters/${open}/resolve`, '{"notify": tru', /not valid JSON/],
      ['/clusters/abc/resolve', {}, /cluster id must be a number/],
    ];
    for (const [path, body, reason] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.message).toMatch(reason);
    }
    expect(sb.store.clusterViews.get(open)?.status).toBe('open');
  });
});
