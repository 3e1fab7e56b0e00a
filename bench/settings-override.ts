/**
 * Cluster settings overrides for the evaluation and sweeps: a partial `ClusterSettings` (as
 * JSON on the command line, `--settings '{"joinSimilarity":0.7,"neighbours":{"k":7}}'`)
 * merged over the defaults, nested groups field by field. Unknown keys are refused, so a
 * typo cannot silently leave a default in place.
 */
import { type ClusterSettings, DEFAULT_CLUSTER_SETTINGS } from '../src/engine/triage/index.ts';

/** A partial override: any top-level field, and any field of each nested group. */
export type SettingsOverride = {
  [K in keyof ClusterSettings]?: ClusterSettings[K] extends object
    ? Partial<ClusterSettings[K]>
    : ClusterSettings[K];
};

/** `base` with `override` merged in; throws on a key `base` does not have. */
export function withOverride(
  override: SettingsOverride,
  base: Readonly<ClusterSettings> = DEFAULT_CLUSTER_SETTINGS,
): ClusterSettings {
  const out = structuredClone(base) as ClusterSettings;
  const target = out as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    const current = target[key];
    if (current === undefined) throw new Error(`unknown cluster setting "${key}"`);
    if (typeof current === 'object' && current !== null) {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(inner in current)) throw new Error(`unknown cluster setting "${key}.${inner}"`);
        (current as Record<string, unknown>)[inner] = v;
      }
    } else target[key] = value;
  }
  return out;
}

/** Parses `--settings` JSON (undefined: the defaults). */
export function parseSettings(json: string | undefined): ClusterSettings {
  return withOverride(json ? (JSON.parse(json) as SettingsOverride) : {});
}
