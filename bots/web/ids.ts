import { randomUUID } from 'node:crypto';

const WEB_ID = /^web:[A-Za-z0-9_-]{8,64}$/;

/** Web chat conversation ids: `web:<random>`; the random part is the visitor's session. */
export const webConversationId = {
  create: (): string => `web:${randomUUID().replaceAll('-', '')}`,
  isValid: (id: string): boolean => WEB_ID.test(id),
  /** The visitor id inside a conversation id (the author id of its messages). */
  visitor: (id: string): string => id.slice('web:'.length),
};
