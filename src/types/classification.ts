import { z } from 'zod';

export const CONVERSATION_STATES = [
  'CONTINUE',
  'RESOLVED',
  'ESCALATE_HUMAN',
  'RAISE_TICKET',
] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SENTIMENTS = ['positive', 'neutral', 'negative', 'angry'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const KINDS = ['question', 'bug', 'feature_request', 'billing', 'account', 'other'] as const;

/** The one structured answer a turn produces: the reply plus its classification. */
export const turnResultSchema = z.object({
  reply: z.string().min(1).max(4000),
  state: z.enum(CONVERSATION_STATES),
  kind: z.enum(KINDS),
  category: z.string().min(1).max(60),
  priority: z.enum(PRIORITIES),
  sentiment: z.enum(SENTIMENTS),
  summary: z.string().max(400),
  tags: z.array(z.string().max(40)).max(8),
  productArea: z.string().max(120).nullable(),
  confidence: z.number().min(0).max(1),
});
export type TurnResult = z.infer<typeof turnResultSchema>;
export type Classification = Omit<TurnResult, 'reply'>;
