/**
 * The frames Slack sends over a Socket Mode connection, and what the fake records of acks.
 * Shapes follow Slack's Socket Mode docs: `hello`, `disconnect`, and event envelopes.
 */
import { randomUUID } from 'node:crypto';

/** The envelope types Slack pushes over Socket Mode. */
export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

/** The frame Slack sends for each event or interaction. */
export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** Options for one envelope; the defaults match a first delivery. */
export interface EnvelopeOptions {
  envelopeId?: string;
  retryAttempt?: number;
  /** Slack uses `'timeout'` after an unacked delivery. */
  retryReason?: string;
  acceptsResponsePayload?: boolean;
  /** Reject if no ack arrives within this many ms. Default 5000. */
  timeoutMs?: number;
}

/** An ack the app sent back, with how long it took. */
export interface SocketAck {
  envelopeId: string;
  type: EnvelopeType;
  /** The ack's `payload` (a response payload for interactions, usually `{}`). */
  payload: unknown;
  sentAt: number;
  ackedAt: number;
  ackMs: number;
}

const DEBUG_INFO = { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 };

/** The greeting Slack sends as soon as a connection opens; the SDK's `start()` waits for it. */
export function helloFrame(appId: string, numConnections: number): string {
  const connectionInfo = { app_id: appId };
  return JSON.stringify({
    type: 'hello',
    num_connections: numConnections,
    debug_info: DEBUG_INFO,
    connection_info: connectionInfo,
  });
}

/** Slack's request to reconnect: `refresh_requested`, `warning` or `link_disabled`. */
export function disconnectFrame(reason: string): string {
  return JSON.stringify({ type: 'disconnect', reason, debug_info: { host: DEBUG_INFO.host } });
}

/** An envelope with first-delivery defaults; only events_api omits response payloads. */
export function buildEnvelope(
  type: EnvelopeType,
  payload: unknown,
  options: EnvelopeOptions,
): SocketEnvelope {
  return {
    envelope_id: options.envelopeId ?? randomUUID(),
    type,
    payload,
    accepts_response_payload: options.acceptsResponsePayload ?? type !== 'events_api',
    retry_attempt: options.retryAttempt ?? 0,
    retry_reason: options.retryReason ?? '',
  };
}
