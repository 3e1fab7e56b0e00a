import { z } from 'zod';

/**
 * `?days=`: how many UTC days, ending today, a per-day answer covers (1 to 90, default 30).
 * The timeline, the overview per day and the stats all read it the same way.
 */
export const daysQuery = z.strictObject({
  days: z.coerce
    .number({ error: 'days must be a number' })
    .int('days must be a whole number')
    .min(1, 'days must be at least 1')
    .max(90, 'days may be at most 90')
    .default(30),
});
