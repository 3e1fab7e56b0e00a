import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord.js';
import { formError, type Reply } from './rest-http.ts';

/** The rows of components a message carries (buttons, as far as the fake looks). */
export type MessageComponents = APIActionRowComponent<APIComponentInMessageActionRow>[];

/** Discord's button styles: primary, secondary, success, danger, link, premium. */
const STYLES = new Set([1, 2, 3, 4, 5, 6]);

/**
 * Checks a message's `components` like Discord does for buttons: at most 5 action rows
 * (type 1) of 1-5 buttons (type 2), a label of at most 80 characters, a `custom_id` of 1-100
 * characters unique in the message (a link button has a `url` instead). Answers the 50035
 * Invalid Form Body Discord would, naming the field, or undefined when they fit.
 */
export function componentsProblem(components: unknown): Reply | undefined {
  if (components === undefined) return undefined;
  if (!Array.isArray(components) || components.length > 5) {
    return formError('components', 'BASE_TYPE_BAD_LENGTH', 'Must be between 0 and 5 in length.');
  }
  const ids = new Set<string>();
  for (const [r, row] of (components as Array<Record<string, unknown>>).entries()) {
    const path = `components.${r}`;
    if (row?.type !== 1)
      return formError(
        `${path}.type`,
        'UNION_TYPE_CHOICES',
        'Value of field "type" must be one of (1,).',
      );
    const children = row.components;
    if (!Array.isArray(children) || children.length < 1 || children.length > 5) {
      return formError(
        `${path}.components`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 5 in length.',
      );
    }
    for (const [b, button] of (children as Array<Record<string, unknown>>).entries()) {
      const field = `${path}.components.${b}`;
      if (button?.type !== 2)
        return formError(
          `${field}.type`,
          'COMPONENT_TYPE_INVALID',
          'Only buttons are modelled by the fake.',
        );
      if (!STYLES.has(button.style as number))
        return formError(
          `${field}.style`,
          'BASE_TYPE_CHOICES',
          'Value must be one of {1, 2, 3, 4, 5, 6}.',
        );
      if (typeof button.label === 'string' && button.label.length > 80) {
        return formError(
          `${field}.label`,
          'BASE_TYPE_MAX_LENGTH',
          'Must be 80 or fewer in length.',
        );
      }
      if (button.style === 5) {
        if (typeof button.url !== 'string')
          return formError(`${field}.url`, 'BASE_TYPE_REQUIRED', 'This field is required');
        continue;
      }
      const id = button.custom_id;
      if (typeof id !== 'string' || id.length < 1 || id.length > 100) {
        return formError(
          `${field}.custom_id`,
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 100 in length.',
        );
      }
      if (ids.has(id))
        return formError(
          `${field}.custom_id`,
          'COMPONENT_CUSTOM_ID_DUPLICATED',
          'Component custom id cannot be duplicated',
        );
      ids.add(id);
    }
  }
  return undefined;
}

/** The button with `label` (or `customId`) among a message's components. */
export function findButton(
  components: MessageComponents,
  by: { label?: string; customId?: string },
): { custom_id: string; label?: string } | undefined {
  for (const row of components) {
    for (const component of row.components) {
      if (component.type !== 2 || !('custom_id' in component)) continue;
      const label = 'label' in component ? component.label : undefined;
      if (by.customId !== undefined ? component.custom_id === by.customId : label === by.label) {
        return { custom_id: component.custom_id, ...(label !== undefined && { label }) };
      }
    }
  }
  return undefined;
}
