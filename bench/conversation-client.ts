/**
 * The evaluation's view of a running Switchboard, over HTTP only: the web chat as a
 * customer uses it (`POST /web/messages`, `GET /web/conversations/:id/messages`) and the
 * admin and desk APIs as a developer reads them (bearer `ADMIN_TOKEN`).
 */

/** A message of a web conversation, as `GET /web/conversations/:id/messages` shows it. */
export interface ChatMessage {
  id: string;
  role: string;
  author: string | null;
  text: string;
}

/** A web conversation as its customer sees it. */
export interface ChatView {
  status: string;
  handoff: { id: number; status: string } | null;
  messages: ChatMessage[];
}

/** A ticket as `GET /api/tickets` lists it (the fields the evaluation reads). */
export interface ApiTicket {
  ref: string;
  clusterId: number | null;
  productArea: string | null;
  conversationId: string;
  summary: string;
}

/** A cluster as `GET /api/clusters` lists it, ranked by impact. */
export interface ApiCluster {
  id: number;
  title: string;
  productArea: string | null;
  reports: number;
  impact: number;
}

/** A ranked entry of `GET /api/digest`. */
export interface ApiDigestEntry {
  rank: number;
  clusterId: number;
  title: string;
  reports: number;
  impact: number;
  ticketRefs: string[];
}

/** What one customer message got back. */
export interface Exchange {
  conversationId: string;
  /** The bot, agent and system messages that answered it. */
  replies: ChatMessage[];
  handoff: boolean;
  /** False when nothing answered within the timeout. */
  answered: boolean;
}

/** How long a customer waits for an answer to one message. */
const REPLY_TIMEOUT_MS = 5000;
const POLL_MS = 15;

/** A client for one Switchboard; `idle` waits for queued turns and triage upkeep. */
export function switchboardClient(baseUrl: string, adminToken: string, idle: () => Promise<void>) {
  const auth = { authorization: `Bearer ${adminToken}` };
  const getJson = async <T>(path: string, headers: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, { headers });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const view = (conversationId: string) =>
    getJson<ChatView>(`/web/conversations/${conversationId}/messages`);

  return {
    view,

    /** Sends one customer message and waits until it is answered or handed over. */
    async say(text: string, conversationId?: string): Promise<Exchange> {
      const res = await fetch(`${baseUrl}/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, conversationId }),
      });
      if (res.status !== 202)
        throw new Error(`POST /web/messages: ${res.status} ${await res.text()}`);
      const sent = (await res.json()) as { conversationId: string; messageId: string };
      const mine = Number(sent.messageId);
      const newer = (v: ChatView) => v.messages.filter((m) => Number(m.id) > mine);
      const deadline = Date.now() + REPLY_TIMEOUT_MS;
      let current = await view(sent.conversationId);
      while (
        Date.now() < deadline &&
        !current.handoff &&
        !newer(current).some((m) => m.role !== 'customer')
      ) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        current = await view(sent.conversationId);
      }
      const answered =
        current.handoff !== null || newer(current).some((m) => m.role !== 'customer');
      // Triage (ticket, cluster, consolidation) finishes before the next customer writes.
      await idle();
      current = await view(sent.conversationId);
      return {
        conversationId: sent.conversationId,
        replies: newer(current).filter((m) => m.role !== 'customer'),
        handoff: current.handoff !== null,
        answered,
      };
    },

    /** Every ticket, newest first (the API's page size is 200 at most). */
    async tickets(): Promise<ApiTicket[]> {
      const all: ApiTicket[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await getJson<{ tickets: ApiTicket[]; hasMore: boolean }>(
          `/api/tickets?limit=200&offset=${offset}`,
          auth,
        );
        all.push(...page.tickets);
        if (!page.hasMore) return all;
      }
    },

    /** Open clusters ranked by impact, the first 100. */
    async clusters(): Promise<ApiCluster[]> {
      return (await getJson<{ clusters: ApiCluster[] }>('/api/clusters?limit=100', auth)).clusters;
    },

    /** The digest of the last 24 hours, top 10. */
    async digest(): Promise<ApiDigestEntry[]> {
      return (
        await getJson<{ digest: { entries: ApiDigestEntry[] } }>(
          '/api/digest?since=24h&top=10',
          auth,
        )
      ).digest.entries;
    },

    /** The conversations that have a handoff on the desk, any status. */
    async handedOver(): Promise<Set<string>> {
      const { handoffs } = await getJson<{ handoffs: Array<{ conversationId: string }> }>(
        '/desk/api/handoffs',
        auth,
      );
      return new Set(handoffs.map((h) => h.conversationId));
    },
  };
}

/** The client type, for the player. */
export type SwitchboardClient = ReturnType<typeof switchboardClient>;
