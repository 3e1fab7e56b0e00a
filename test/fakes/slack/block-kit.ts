/**
 * The Block Kit limits Slack enforces on the blocks this app sends, checked the way Slack
 * answers: `invalid_blocks` on a message, `invalid_arguments` on a view. Only the layout
 * blocks and elements Switchboard uses are modelled; an unknown block type is refused.
 */

type Json = Record<string, unknown>;

const text = (t: unknown): string =>
  typeof t === 'object' && t !== null && typeof (t as Json).text === 'string'
    ? ((t as Json).text as string)
    : '';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** Why a button breaks Slack's limits (label 75, value 2,000, action_id 255), if it does. */
function buttonProblem(b: Json): string | undefined {
  if (text(b.text).length === 0 || text(b.text).length > 75) return 'button text must be 1-75';
  if (typeof b.value === 'string' && b.value.length > 2000) return 'button value over 2000';
  if (typeof b.action_id === 'string' && b.action_id.length > 255) return 'action_id over 255';
  return undefined;
}

function inputProblem(b: Json): string | undefined {
  const el = isObject(b.element) ? b.element : {};
  if (text(b.label).length > 2000) return 'input label over 2000';
  if (el.type !== 'plain_text_input') return `input element ${String(el.type)} not modelled`;
  const max = typeof el.max_length === 'number' ? el.max_length : 3000;
  if (max > 3000) return 'plain_text_input max_length over 3000';
  if (typeof el.initial_value === 'string' && el.initial_value.length > max)
    return 'initial_value longer than max_length';
  return undefined;
}

/** Why one block breaks Slack's limits, or undefined when it is fine. */
function blockProblem(block: unknown): string | undefined {
  if (!isObject(block)) return 'block is not an object';
  if (typeof block.block_id === 'string' && block.block_id.length > 255) return 'block_id over 255';
  switch (block.type) {
    case 'section': {
      if (text(block.text).length > 3000) return 'section text over 3000';
      if (!isObject(block.text) && !Array.isArray(block.fields)) return 'section without text';
      const accessory = block.accessory;
      return isObject(accessory) && accessory.type === 'button'
        ? buttonProblem(accessory)
        : undefined;
    }
    case 'header':
      return text(block.text).length > 150 ? 'header text over 150' : undefined;
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > 10) return 'context needs 1-10 elements';
      return elements.some((e) => text(e).length > 3000) ? 'context text over 3000' : undefined;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > 25) return 'actions needs 1-25 elements';
      for (const e of elements) {
        const problem = isObject(e) && e.type === 'button' ? buttonProblem(e) : 'not a button';
        if (problem) return problem;
      }
      return undefined;
    }
    case 'divider':
    case 'rich_text':
      return undefined;
    case 'input':
      return inputProblem(block);
    default:
      return `block type ${String(block.type)} not modelled`;
  }
}

/** Why a message's blocks would be refused (`invalid_blocks`), or undefined. At most 50. */
export function messageBlocksProblem(blocks: unknown[]): string | undefined {
  if (blocks.length > 50) return `${blocks.length} blocks (at most 50)`;
  for (const block of blocks) {
    const problem = blockProblem(block);
    if (problem) return problem;
  }
  return undefined;
}

/** Why a modal would be refused, or undefined: title 1-24, buttons 1-24, at most 100 blocks. */
export function modalProblem(view: Json): string | undefined {
  if (view.type !== 'modal') return 'only modals are modelled';
  const title = text(view.title);
  if (title.length === 0 || title.length > 24) return 'modal title must be 1-24';
  for (const key of ['submit', 'close'] as const) {
    if (view[key] !== undefined && (text(view[key]).length === 0 || text(view[key]).length > 24))
      return `modal ${key} must be 1-24`;
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    return 'private_metadata over 3000';
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (blocks.length > 100) return `${blocks.length} blocks (at most 100)`;
  for (const block of blocks) {
    const problem = blockProblem(block);
    if (problem) return problem;
  }
  return undefined;
}
