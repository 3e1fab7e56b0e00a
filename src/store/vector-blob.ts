/** Float32 vector to the BLOB SQLite stores. */
export const vectorBlob = (v: Float32Array): Buffer =>
  Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** A stored BLOB back to float32 (copied: SQLite's buffers need not be 4-byte aligned). */
export const blobVector = (b: Buffer): Float32Array =>
  new Float32Array(new Uint8Array(b).buffer.slice(0));
