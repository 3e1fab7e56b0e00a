/**
 * What the admin pages (the desk and the console) share: the admin token kept in the
 * browser, a JSON client of the admin API, and a reader of its server-sent event streams.
 * EventSource cannot send an Authorization header, so streams are read with fetch() and
 * their SSE frames parsed here.
 */

export class Unauthorized extends Error {}

/** What the pages say when the token is refused. */
export const TOKEN_REFUSED = 'That token was not accepted. Check data/admin-token and try again.';

export function load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function save(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Without storage the page still works; it just asks again next visit.
  }
}

/**
 * Takes `token=...` from the URL's fragment once (`#token=…`, or after a page's route as in
 * `#/problems?token=…`), stores it, and removes it from the address bar, keeping the rest.
 */
export function tokenFromFragment(key) {
  const hash = location.hash;
  const match = /([#?&])token=([^&]*)/.exec(hash);
  if (!match) return null;
  const token = decodeURIComponent(match[2]);
  if (!token) return null;
  save(key, token);
  const rest = (hash.slice(0, match.index + 1) + hash.slice(match.index + match[0].length))
    .replace(/[?&]$/, '')
    .replace(/([#?])&/, '$1')
    .replace(/^#$/, '');
  history.replaceState(null, '', location.pathname + location.search + rest);
  return token;
}

export function sentence(text) {
  const s = String(text).trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A JSON client of one API root. `token()` is read on every call; `onUnauthorized` runs on a
 * 401 before the call fails with {@link Unauthorized}. Other failures throw an Error whose
 * message is the server's reason, written as a sentence, with the HTTP `status` and the
 * server's `code` (`stale`, `already_claimed`). A JSON answer is parsed; any other
 * (a Markdown digest) is returned as text.
 */
export function apiClient(root, { token, onUnauthorized }) {
  return async function api(path, { method = 'GET', body } = {}) {
    const headers = { authorization: `Bearer ${token()}` };
    if (body) headers['content-type'] = 'application/json';
    let res;
    try {
      res = await fetch(`${root}${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new Error("Can't reach Switchboard. Check that it is running and try again.");
    }
    if (res.status === 401) {
      onUnauthorized(TOKEN_REFUSED);
      throw new Unauthorized('unauthorized');
    }
    const json = (res.headers.get('content-type') ?? '').includes('json');
    const data = json ? await res.json().catch(() => ({})) : await res.text();
    if (!res.ok) {
      const message = data.message
        ? sentence(data.message)
        : `Request failed (HTTP ${res.status}).`;
      const error = new Error(message);
      error.status = res.status;
      error.code = data.error;
      throw error;
    }
    return data;
  };
}

/** Splits SSE text into complete frames; returns them and the unfinished rest. */
export function parseSse(buffer) {
  const frames = [];
  const parts = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = parts.pop() ?? '';
  for (const part of parts) {
    let event = 'message';
    const data = [];
    for (const line of part.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) frames.push({ event, data: data.join('\n') });
  }
  return { frames, rest };
}

/**
 * Follows an SSE stream until `signal` aborts, reconnecting with backoff. `onState` gets
 * `connecting`, `on` or `off`; `onOpen` runs on each (re)connection, since the stream does
 * not replay missed events and the page must reload what may have changed meanwhile;
 * `onEvent(name, payload)` gets each frame with its JSON payload.
 */
export async function followStream(
  url,
  { token, signal, onState, onOpen, onEvent, onUnauthorized },
) {
  let delay = 1000;
  while (!signal.aborted) {
    try {
      onState('connecting');
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' },
        signal,
      });
      if (res.status === 401) {
        onUnauthorized(TOKEN_REFUSED);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onState('on');
      delay = 1000;
      await Promise.resolve(onOpen()).catch(() => undefined);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseSse(buffer + value);
        buffer = parsed.rest;
        for (const { event, data } of parsed.frames) {
          let payload;
          try {
            payload = JSON.parse(data);
          } catch {
            continue;
          }
          onEvent(event, payload);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    onState('off');
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}

/**
 * The sign-in both admin pages share, on their `#token-panel` (with `#token-form`,
 * `#token-input`, `#token-error`) and `#sign-out`: `begin()` signs in with the token from the
 * URL or the browser, else asks for one; `ask(message)` forgets the token and asks again
 * (after a 401, or "Change token"); `signedIn()` hides the panel. `onSignIn(token)` starts
 * the page, `onSignOut()` stops what it follows.
 */
export function tokenGate({ key, onSignIn, onSignOut }) {
  const $ = (id) => document.getElementById(id);
  const [panel, form, input, error, signOut] = [
    'token-panel',
    'token-form',
    'token-input',
    'token-error',
    'sign-out',
  ].map($);
  const ask = (message) => {
    save(key, null);
    onSignOut();
    signOut.hidden = true;
    panel.hidden = false;
    error.textContent = message ?? '';
    error.hidden = !message;
    input.focus();
  };
  signOut.addEventListener('click', () => ask());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    save(key, token);
    input.value = '';
    void onSignIn(token);
  });
  return {
    ask,
    signedIn() {
      panel.hidden = true;
      signOut.hidden = false;
    },
    begin() {
      const token = tokenFromFragment(key) ?? load(key);
      if (token) void onSignIn(token);
      else ask();
    },
  };
}

/** The header's live indicator: `on`, `connecting` or `off`. */
export function showLive(el, mode) {
  el.dataset.state = mode;
  el.textContent = { on: 'Live', connecting: 'Connecting…', off: 'Offline' }[mode];
}
