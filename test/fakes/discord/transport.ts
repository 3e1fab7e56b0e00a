import { constants, createDeflate, deflateSync } from 'node:zlib';
import type { WebSocket } from 'ws';

/** One gateway payload as it travels on the wire. */
export interface GatewayFrame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/**
 * Writes frames to one gateway socket in the encoding the client asked for:
 * - plain JSON text frames (no `compress` query parameter);
 * - `compress=zlib-stream`: one zlib context for the whole connection, every frame flushed
 *   with Z_SYNC_FLUSH so it ends in `00 00 ff ff` (what @discordjs/ws uses with zlib-sync);
 * - IDENTIFY `compress: true`: each frame deflated on its own, sent as binary.
 */
export class GatewayTransport {
  readonly #socket: WebSocket;
  readonly #stream: ReturnType<typeof createDeflate> | undefined;
  #payloadCompression = false;
  // zlib is asynchronous: chain sends so frames leave in order.
  #queue: Promise<void> = Promise.resolve();

  constructor(socket: WebSocket, compress: string | null) {
    this.#socket = socket;
    this.#stream = compress === 'zlib-stream' ? createDeflate() : undefined;
  }

  enablePayloadCompression(): void {
    this.#payloadCompression = this.#stream === undefined;
  }

  send(frame: GatewayFrame): Promise<void> {
    const json = JSON.stringify(frame);
    this.#queue = this.#queue.then(async () => {
      const data = await this.#encode(json);
      if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(data);
    });
    return this.#queue;
  }

  /** Waits for queued frames, then closes with `code`. */
  async close(code: number, reason = ''): Promise<void> {
    await this.#queue.catch(() => undefined);
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.close(code, reason);
    this.#stream?.close();
  }

  #encode(json: string): Promise<string | Buffer> {
    const stream = this.#stream;
    if (this.#payloadCompression) return Promise.resolve(deflateSync(json));
    if (!stream) return Promise.resolve(json);
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const collect = (chunk: Buffer): void => {
        chunks.push(chunk);
      };
      stream.on('data', collect);
      stream.write(json);
      stream.flush(constants.Z_SYNC_FLUSH, () => {
        stream.off('data', collect);
        resolve(Buffer.concat(chunks));
      });
    });
  }
}
