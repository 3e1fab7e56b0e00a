/**
 * What a customer said about their setup, parsed out of the conversation: a ticket's
 * environment (API, `ticket.created`), counted per cluster and digest entry. Fields
 * nobody gave are null.
 */
export interface Environment {
  /** e.g. "iPhone 14", "Pixel 7", "MacBook Pro". */
  device: string | null;
  /** e.g. "iOS 17.2", "Android 14", "Windows 11"; the family alone when only the device was named. */
  os: string | null;
  /** The product's own version, e.g. "3.2.1". */
  appVersion: string | null;
  /** e.g. "Chrome 120", "Safari". */
  browser: string | null;
}

/**
 * How often each environment value was reported among a cluster's tickets: app versions
 * as given, OS and browser by family ("iOS", "Chrome"), devices as named. Tickets that
 * did not say are not counted.
 */
export interface EnvironmentCounts {
  appVersions: Record<string, number>;
  os: Record<string, number>;
  devices: Record<string, number>;
  browsers: Record<string, number>;
}
