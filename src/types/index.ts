/**
 * The words every layer shares: messages, platforms and channels, classifications,
 * handoffs and desks, digests. Store, ai, engine, http and bots import them from here;
 * this module imports nothing of the project's.
 */
export * from './assist.ts';
export * from './assistant.ts';
export * from './channel.ts';
export * from './classification.ts';
export * from './conversation.ts';
export * from './digest.ts';
export * from './environment.ts';
export * from './handoff.ts';
export * from './platform.ts';
