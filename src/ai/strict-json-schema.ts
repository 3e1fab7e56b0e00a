import { type ZodType, z } from 'zod';

type JsonSchema = { [key: string]: unknown };

/**
 * Converts a zod schema into the JSON Schema subset OpenAI accepts with `strict: true`:
 * - every object lists all its properties in `required` and has `additionalProperties: false`;
 * - a nullable field is a type union (`type: ["string", "null"]`), not `anyOf`, which
 *   more OpenAI-compatible servers (llama.cpp, Ollama, vLLM) turn into a grammar;
 * - `minLength`/`maxLength`, which strict mode does not enforce, become words in the
 *   field's `description` so the model still sees the limit;
 * - the `$schema` marker is dropped.
 *
 * Zod still validates the answer afterwards, so nothing is lost by relaxing the limits.
 */
export function toStrictJsonSchema(schema: ZodType): JsonSchema {
  const { $schema: _ignored, ...root } = z.toJSONSchema(schema) as JsonSchema;
  return strictify(root);
}

function strictify(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...collapseNullable(node) };
  moveLengthToDescription(out);
  if (isSchema(out.properties)) {
    const properties: JsonSchema = {};
    for (const [key, value] of Object.entries(out.properties)) {
      properties[key] = isSchema(value) ? strictify(value) : value;
    }
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  if (isSchema(out.items)) out.items = strictify(out.items);
  if (Array.isArray(out.anyOf)) {
    out.anyOf = out.anyOf.map((option) => (isSchema(option) ? strictify(option) : option));
  }
  return out;
}

/** `anyOf: [{type: T, ...rest}, {type: "null"}]` → `{type: [T, "null"], ...rest}`. */
function collapseNullable(node: JsonSchema): JsonSchema {
  const options = node.anyOf;
  if (!Array.isArray(options) || options.length !== 2) return node;
  const nonNull = options.find((o) => isSchema(o) && o.type !== 'null');
  const hasNull = options.some((o) => isSchema(o) && o.type === 'null');
  if (!hasNull || !isSchema(nonNull) || typeof nonNull.type !== 'string') return node;
  const { anyOf: _anyOf, ...rest } = node;
  return { ...rest, ...nonNull, type: [nonNull.type, 'null'] };
}

function moveLengthToDescription(node: JsonSchema): void {
  const limits: string[] = [];
  if (typeof node.minLength === 'number' && node.minLength > 0) {
    limits.push(node.minLength === 1 ? 'not empty' : `at least ${node.minLength} characters`);
  }
  if (typeof node.maxLength === 'number') limits.push(`at most ${node.maxLength} characters`);
  delete node.minLength;
  delete node.maxLength;
  if (limits.length === 0) return;
  const text = `${limits.join(', ')}.`;
  node.description = typeof node.description === 'string' ? `${node.description} (${text})` : text;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
