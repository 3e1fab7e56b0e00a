/**
 * Labelled intent datasets for the clustering evaluation, read from where they are (never
 * copied into the repo): Banking77 CSV (`text,category`) and CLINC150 JSON
 * (`{ "train": [[text, intent], ...], "val": ..., "oos_train": ... }`; in-scope splits only).
 */
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../src/random.ts';

/** One labelled message; the label is used only for scoring. */
export interface LabelledMessage {
  text: string;
  label: string;
}

/** A loaded split: its messages and a description for the report. */
export interface Dataset {
  name: string;
  split: string;
  messages: LabelledMessage[];
}

/** RFC 4180 CSV: quoted fields, doubled quotes inside them, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f !== ''));
}

/** Reads a Banking77-style CSV: a header naming `text` and `category` (or `label`/`intent`). */
export function readCsvDataset(path: string): Dataset {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const textAt = names.indexOf('text');
  const labelAt = ['category', 'label', 'intent'].map((n) => names.indexOf(n)).find((i) => i >= 0);
  if (textAt < 0 || labelAt === undefined) {
    throw new Error(`${path}: expected a header with "text" and "category" columns`);
  }
  const messages = rows
    .map((r) => ({ text: (r[textAt] ?? '').trim(), label: (r[labelAt] ?? '').trim() }))
    .filter((m) => m.text && m.label);
  return { name: path, split: 'all rows', messages };
}

/**
 * Reads a CLINC150-style JSON split. Without `split`: `val` if present, else `test`, else
 * `train`. Rows labelled `oos` (out of scope) are left out: they belong to no intent.
 */
export function readJsonDataset(path: string, split?: string): Dataset {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const chosen = split ?? ['val', 'test', 'train'].find((s) => Array.isArray(data[s]));
  const rows = chosen === undefined ? undefined : data[chosen];
  if (!chosen || !Array.isArray(rows)) {
    const splits = Object.keys(data).filter((k) => Array.isArray(data[k]));
    throw new Error(`${path}: no split "${split ?? 'val'}"; it has ${splits.join(', ')}`);
  }
  const messages = (rows as unknown[])
    .filter((r): r is [string, string] => Array.isArray(r) && typeof r[0] === 'string')
    .map(([text, label]) => ({ text: text.trim(), label: String(label) }))
    .filter((m) => m.text && m.label !== 'oos');
  return { name: path, split: `${chosen} (in-scope)`, messages };
}

/** Reads either format by extension. */
export function readDataset(path: string, split?: string): Dataset {
  return path.toLowerCase().endsWith('.json') ? readJsonDataset(path, split) : readCsvDataset(path);
}

/** A seeded shuffle (Fisher-Yates with mulberry32): the same seed, the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
