import { sifWeight, type WordTable } from './sif.ts';

/** Bumped whenever the byte layout or the meaning of a field changes. */
export const GLOVE_FORMAT_VERSION = 1;

/** A loaded offline word model: the SIF word table plus the common component(s) to remove. */
export interface GloveModel extends WordTable {
  /** Unit rows (`k * dimensions`) projected out of every sentence vector. */
  readonly components: Float32Array;
}

/** What the cache file stores; `toModel` derives the lookup structures from it. */
export interface GloveParts {
  dimensions: number;
  /** Most frequent first; none contains a newline. */
  words: readonly string[];
  /** Frequency rank of each word in the full source vocabulary. */
  ranks: Uint32Array;
  /** Per row: the float value of one int8 step. */
  scales: Float32Array;
  vectors: Int8Array;
  components: Float32Array;
  /** SIF smoothing parameter a. */
  sifA: number;
  /** Size of the full source vocabulary, for the Zipf frequency estimate. */
  sourceSize: number;
}

const MAGIC = 0x56474253; // "SBGV" little-endian
const HEADER_BYTES = 32;

/**
 * Serializes to the cache layout, little-endian, every float section 4-byte aligned:
 * header (magic, version, count, dimensions, component count, vocabulary bytes, a, source
 * size), components f32, scales f32, ranks u32, vectors i8, vocabulary UTF-8 ("\n"-joined).
 */
export function encodeGloveParts(parts: GloveParts): Uint8Array {
  const count = parts.words.length;
  const vocabulary = Buffer.from(parts.words.join('\n'), 'utf8');
  const floats = parts.components.length + 2 * count;
  const total = HEADER_BYTES + 4 * floats + parts.vectors.length + vocabulary.length;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const componentCount = parts.components.length / parts.dimensions;
  const header = [MAGIC, GLOVE_FORMAT_VERSION, count, parts.dimensions, componentCount];
  header.push(vocabulary.length);
  for (const [i, value] of header.entries()) view.setUint32(i * 4, value, true);
  view.setFloat32(24, parts.sifA, true);
  view.setUint32(28, parts.sourceSize, true);
  let offset = HEADER_BYTES;
  for (const section of [parts.components, parts.scales, parts.ranks]) {
    bytes.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset);
    offset += section.byteLength;
  }
  bytes.set(
    new Uint8Array(parts.vectors.buffer, parts.vectors.byteOffset, count * parts.dimensions),
    offset,
  );
  bytes.set(vocabulary, offset + count * parts.dimensions);
  return bytes;
}

/**
 * Reads a cache file's bytes back into a model, or `undefined` when they are not a complete
 * file of this format version (truncated, foreign or older), so the caller re-converts.
 */
export function decodeGloveModel(file: Uint8Array): GloveModel | undefined {
  if (file.byteLength < HEADER_BYTES) return undefined;
  // Typed-array views need 4-byte alignment; a fresh copy of an odd slice has it.
  const bytes = file.byteOffset % 4 === 0 ? file : new Uint8Array(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (i: number) => view.getUint32(i * 4, true);
  if (u32(0) !== MAGIC || u32(1) !== GLOVE_FORMAT_VERSION) return undefined;
  const [count, dimensions, componentCount, vocabularyBytes] = [u32(2), u32(3), u32(4), u32(5)];
  const floats = componentCount * dimensions + 2 * count;
  const expected = HEADER_BYTES + 4 * floats + count * dimensions + vocabularyBytes;
  if (bytes.byteLength !== expected || dimensions === 0) return undefined;
  let offset = bytes.byteOffset + HEADER_BYTES;
  const take = <T>(make: (at: number) => T, size: number): T => {
    const section = make(offset);
    offset += size;
    return section;
  };
  const { buffer } = bytes;
  const components = take(
    (at) => new Float32Array(buffer, at, componentCount * dimensions),
    4 * componentCount * dimensions,
  );
  const scales = take((at) => new Float32Array(buffer, at, count), 4 * count);
  const ranks = take((at) => new Uint32Array(buffer, at, count), 4 * count);
  const vectors = take((at) => new Int8Array(buffer, at, count * dimensions), count * dimensions);
  const words = Buffer.from(buffer, offset, vocabularyBytes).toString('utf8').split('\n');
  if (words.length !== count) return undefined;
  const parts = { dimensions, words, ranks, scales, vectors, components };
  return toModel({ ...parts, sifA: view.getFloat32(24, true), sourceSize: u32(7) });
}

/** Builds the word index and folds each row's int8 scale and SIF weight into one coefficient. */
export function toModel(parts: GloveParts): GloveModel {
  const index = new Map<string, number>();
  const coef = new Float32Array(parts.words.length);
  parts.words.forEach((word, row) => {
    index.set(word, row);
    const weight = sifWeight(parts.ranks[row] ?? row, parts.sifA, parts.sourceSize);
    coef[row] = (parts.scales[row] ?? 0) * weight;
  });
  return {
    dimensions: parts.dimensions,
    index,
    vectors: parts.vectors,
    coef,
    components: parts.components,
  };
}
