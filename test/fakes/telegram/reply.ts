/** A Bot API answer: HTTP status equals `error_code` on failure, as on api.telegram.org. */
export interface ApiReply {
  status: number;
  body:
    | { ok: true; result: unknown; description?: string }
    | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };
}

export const ok = (result: unknown, description?: string): ApiReply => ({
  status: 200,
  body: { ok: true, result, ...(description && { description }) },
});

export const fail = (status: number, description: string): ApiReply => ({
  status,
  body: { ok: false, error_code: status, description },
});

export const badRequest = (why: string): ApiReply => fail(400, `Bad Request: ${why}`);
