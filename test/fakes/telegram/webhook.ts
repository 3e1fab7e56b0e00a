import { Recorder } from '../recorder.ts';
import { toBool, toInt, type UploadedFile } from './body.ts';
import { type ApiReply, badRequest, ok } from './reply.ts';
import type { UpdateQueue } from './updates.ts';

/** What the last successful `setWebhook` registered. */
export interface WebhookState {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
  maxConnections: number | undefined;
  hasCustomCertificate: boolean;
}

const NO_WEBHOOK: WebhookState = {
  url: '',
  secretToken: undefined,
  allowedUpdates: undefined,
  maxConnections: undefined,
  hasCustomCertificate: false,
};

/**
 * `setWebhook`, `deleteWebhook` and `getWebhookInfo`. Like Telegram, only HTTPS URLs on ports
 * 80, 88, 443 or 8443 are accepted; the fake does not deliver to them by itself, tests call
 * `postWebhookUpdate` with a loopback URL instead.
 */
export class WebhookRegistry {
  readonly calls = new Recorder<WebhookState>('telegram setWebhook calls');
  state: WebhookState = NO_WEBHOOK;
  readonly #updates: UpdateQueue;

  constructor(updates: UpdateQueue) {
    this.#updates = updates;
  }

  get active(): boolean {
    return this.state.url !== '';
  }

  delete(params: Record<string, unknown>): ApiReply {
    const had = this.active;
    this.state = NO_WEBHOOK;
    if (toBool(params.drop_pending_updates)) this.#updates.dropPending();
    return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  set(params: Record<string, unknown>, files: UploadedFile[]): ApiReply {
    const url = typeof params.url === 'string' ? params.url : '';
    if (url === '') return this.delete(params);
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed) return badRequest('invalid webhook URL specified');
    if (parsed.protocol !== 'https:') {
      return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    if (parsed.port && !['80', '88', '443', '8443'].includes(parsed.port)) {
      return badRequest('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443');
    }
    const secretToken = typeof params.secret_token === 'string' ? params.secret_token : undefined;
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      return badRequest('secret token contains unallowed characters');
    }
    const allowedUpdates = Array.isArray(params.allowed_updates)
      ? (params.allowed_updates as string[])
      : undefined;
    this.#updates.setAllowedUpdates(allowedUpdates);
    if (toBool(params.drop_pending_updates)) this.#updates.dropPending();
    this.state = {
      url,
      secretToken,
      allowedUpdates,
      maxConnections: toInt(params.max_connections),
      // grammY uploads the certificate as a file part and sends `certificate=attach://<id>`.
      hasCustomCertificate:
        files.some((file) => file.field === 'certificate') ||
        typeof params.certificate === 'string',
    };
    this.calls.push(this.state);
    return ok(true, 'Webhook was set');
  }

  info(): ApiReply {
    const { url, maxConnections, hasCustomCertificate } = this.state;
    return ok({
      url,
      has_custom_certificate: hasCustomCertificate,
      pending_update_count: this.#updates.pending.length,
      ...(url && {
        max_connections: maxConnections ?? 40,
        allowed_updates: this.#updates.allowedUpdates,
      }),
    });
  }
}
