/** The platforms a customer can write from. `web` is the built-in chat page. */
export const PLATFORMS = ['web', 'slack', 'discord', 'telegram'] as const;
export type Platform = (typeof PLATFORMS)[number];
