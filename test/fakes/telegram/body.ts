import type { IncomingMessage } from 'node:http';

/** An uploaded file part of a multipart request. */
export interface UploadedFile {
  field: string;
  filename: string;
  size: number;
}

/** A Bot API call's parameters, merged from the query string and the body, as Telegram does. */
export interface CallParams {
  params: Record<string, unknown>;
  files: UploadedFile[];
}

/**
 * Form fields arrive as strings; Telegram decodes JSON-serialized ones (`reply_parameters`,
 * `allowed_updates`, `reply_markup`) on its side. Numbers stay strings: use `toInt`.
 */
function decodeField(value: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

/** A Bot API integer from JSON (number) or a form field (string). */
export function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

export function toBool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}

/** Reads JSON, urlencoded and multipart bodies (grammY's multipart is terse: `name=` unquoted). */
export async function readCallParams(req: IncomingMessage, url: URL): Promise<CallParams> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = decodeField(value);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { params, files: [] };
  if (type.includes('application/json')) {
    return { params: { ...params, ...(JSON.parse(raw.toString('utf8')) as object) }, files: [] };
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
      params[key] = decodeField(value);
    }
    return { params, files: [] };
  }
  const boundary = /boundary=("?)([^";]+)\1/i.exec(type)?.[2];
  if (!boundary) throw new Error(`unsupported content-type ${type}`);
  const files = parseMultipart(raw, boundary, params);
  return { params, files };
}

function parseMultipart(
  raw: Buffer,
  boundary: string,
  params: Record<string, unknown>,
): UploadedFile[] {
  const files: UploadedFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, body, CRLF before the next delimiter.
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const body = part.subarray(headerEnd + 4);
    const name = /(?:^|[;\s:])name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /filename="?([^";\r\n]+)"?/i.exec(headers)?.[1];
    if (filename === undefined) params[name] = decodeField(body.toString('utf8'));
    else files.push({ field: name, filename, size: body.length });
    start = next;
  }
  return files;
}
