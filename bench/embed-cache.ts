/**
 * A bench-only memo for slow embedders: vectors by text, kept in one append-only file per
 * embedder (`<dir>/<name>.vec`: records of u32 text bytes, UTF-8 text, float32 vector), so a
 * settings sweep over the same dataset embeds each text once. Returns exactly the vectors the
 * wrapped embedder returned; only the timing of an evaluation changes.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../src/ai/types.ts';

/** Wraps `inner` so each distinct text is embedded once per cache directory. */
export function withEmbeddingCache(inner: Embedder, dir: string): Embedder {
  const file = join(dir, `${inner.name.replace(/[^\w.-]+/g, '_')}.vec`);
  const known = new Map<string, Float32Array>();
  let loaded = false;

  function load(): void {
    if (loaded) return;
    loaded = true;
    mkdirSync(dir, { recursive: true });
    if (!existsSync(file)) return;
    const buf = readFileSync(file);
    const bytes = inner.dimensions * 4;
    for (let at = 0; at + 4 <= buf.length; ) {
      const textBytes = buf.readUInt32LE(at);
      const end = at + 4 + textBytes + bytes;
      if (end > buf.length) break; // a record cut short by an interrupted run
      const text = buf.toString('utf8', at + 4, at + 4 + textBytes);
      const vector = new Float32Array(
        buf.buffer.slice(buf.byteOffset + end - bytes, buf.byteOffset + end),
      );
      known.set(text, vector);
      at = end;
    }
  }

  return {
    name: inner.name,
    dimensions: inner.dimensions,
    async init() {
      load();
      await inner.init();
    },
    async embed(texts) {
      load();
      const missing = [...new Set(texts.filter((t) => !known.has(t)))];
      if (missing.length > 0) {
        const vectors = await inner.embed(missing);
        const records: Buffer[] = [];
        for (const [i, text] of missing.entries()) {
          const v = vectors[i] as Float32Array;
          known.set(text, v);
          const head = Buffer.alloc(4);
          const body = Buffer.from(text, 'utf8');
          head.writeUInt32LE(body.length);
          records.push(head, body, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
        }
        appendFileSync(file, Buffer.concat(records));
      }
      return texts.map((t) => known.get(t) as Float32Array);
    },
  };
}
