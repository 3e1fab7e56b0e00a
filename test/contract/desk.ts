import type { Switchboard } from '../../src/main.ts';

/** The web desk API as an agent uses it (bearer ADMIN_TOKEN). */
export function deskClient(sb: Switchboard) {
  const headers = { authorization: `Bearer ${sb.adminToken}`, 'content-type': 'application/json' };
  const post = async (id: number, action: string, body: object) => {
    const res = await fetch(`${sb.url}/desk/api/handoffs/${id}/${action}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`desk ${action} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    /** The open handoff of a conversation, once the engine has opened it. */
    async openHandoff(conversationId: string): Promise<number> {
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${sb.url}/desk/api/handoffs?status=open`, { headers });
        const { handoffs } = (await res.json()) as {
          handoffs: Array<{ id: number; conversationId: string }>;
        };
        const found = handoffs.find((h) => h.conversationId === conversationId);
        if (found) return found.id;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no open handoff for ${conversationId}`);
    },
    async messages(id: number): Promise<string[]> {
      const res = await fetch(`${sb.url}/desk/api/handoffs/${id}/messages`, { headers });
      const body = (await res.json()) as { messages: Array<{ text: string }> };
      return body.messages.map((m) => m.text);
    },
    claim: (id: number, name: string) => post(id, 'claim', { agent: { name } }),
    reply: (id: number, name: string, text: string) => post(id, 'reply', { agent: { name }, text }),
    resolve: (id: number, name: string) => post(id, 'resolve', { agent: { name } }),
  };
}

/** A pino destination that keeps the log lines' `msg`, for startup-log assertions. */
export function logLines(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push((JSON.parse(line) as { msg?: string }).msg ?? '');
    },
  };
}
