import { apiClient, followStream, showLive, tokenGate, Unauthorized } from '/admin.js';
import { errorBox, h } from './dom.js';

/**
 * The triage console: where developers see what to fix first and act on it. A hash router
 * shows one page at a time (each a module with `render(ctx, params)`); every page reads
 * the admin API with the token given once, and the live stream (`/api/stream`, the outbox)
 * tells the page shown what changed.
 */

const TOKEN_KEY = 'switchboard.console.token';

const ROUTES = [
  [/^\/problems$/, 'problems', () => import('./problems.js')],
  [/^\/problems\/(\d+)$/, 'problems', () => import('./problem.js')],
  [/^\/overview$/, 'overview', () => import('./overview.js')],
  [/^\/tickets$/, 'tickets', () => import('./tickets.js')],
  [/^\/tickets\/(T-\d+)$/i, 'tickets', () => import('./ticket.js')],
  [/^\/digests$/, 'digests', () => import('./digests.js')],
  [/^\/digests\/(\d+)$/, 'digests', () => import('./digests.js')],
  [/^\/knowledge$/, 'knowledge', () => import('./knowledge.js')],
];

const $ = (id) => document.getElementById(id);
const els = {
  nav: $('console-nav'),
  view: $('view'),
  live: $('live-status'),
  dialog: $('confirm'),
};

const state = { token: null, streamAbort: null, page: null, renderSeq: 0, routing: false };

const gate = tokenGate({
  key: TOKEN_KEY,
  onSignIn: (token) => start(token),
  onSignOut() {
    state.streamAbort?.abort();
    state.streamAbort = null;
    state.token = null;
    els.view.hidden = true;
    els.nav.hidden = true;
    setLive('off');
  },
});
const askForToken = gate.ask;
const api = apiClient('/api', { token: () => state.token, onUnauthorized: askForToken });
const setLive = (mode) => showLive(els.live, mode);

// ---- routing ----

/** The route and the query of the hash: `#/tickets?status=open`. */
function currentRoute() {
  const hash = location.hash.slice(1) || '/problems';
  const [path, query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

/** Moves to a page (a hash such as `#/problems/7`). */
function go(hash) {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

/** Rewrites the page's query (filters, search, page) without adding a history entry. */
function setQuery(params) {
  const { path } = currentRoute();
  const clean = new URLSearchParams([...params].filter(([, v]) => v !== '' && v !== null));
  const query = clean.toString();
  history.replaceState(null, '', `#${path}${query ? `?${query}` : ''}`);
}

async function render() {
  const seq = ++state.renderSeq;
  for (const leave of state.page?.cleanup ?? []) leave();
  state.page = null;
  const { path, query } = currentRoute();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route) {
    go('#/problems');
    return;
  }
  const [pattern, section, loadModule] = route;
  for (const link of els.nav.querySelectorAll('a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const page = { cleanup: [], listeners: [] };
  state.page = page;
  const ctx = {
    api,
    query,
    setQuery,
    go,
    confirm,
    /** Runs `fn(type, data)` for each live event while this page is shown. */
    onLive: (fn) => page.listeners.push(fn),
    /**
     * Runs `fn` once `ms` after the first live event `matches(type, data)` accepts, so a
     * burst of events (a flood of tickets) redraws the page once; cancelled when it is left.
     */
    onChange(matches, fn, ms = 300) {
      let pending;
      page.listeners.push((type, data) => {
        if (pending || !matches(type, data)) return;
        pending = setTimeout(() => {
          pending = undefined;
          fn();
        }, ms);
      });
      page.cleanup.push(() => clearTimeout(pending));
    },
    /** Runs `fn` when the page is left. */
    onLeave: (fn) => page.cleanup.push(fn),
    /** True while this page is still the one shown (a slow load must not draw over the next). */
    current: () => state.page === page,
  };
  const params = path.match(pattern).slice(1);
  const root = h('div', { class: 'page', 'aria-busy': 'true' });
  els.view.replaceChildren(root);
  try {
    const module = await loadModule();
    if (seq !== state.renderSeq) return;
    await module.render(root, ctx, ...params);
  } catch (error) {
    if (error instanceof Unauthorized || seq !== state.renderSeq) return;
    root.replaceChildren(errorBox(error.message));
  } finally {
    root.removeAttribute('aria-busy');
  }
  if (seq === state.renderSeq)
    document.title = `${root.querySelector('h2')?.textContent ?? 'Console'} · Switchboard`;
}

// ---- confirmation dialog ----

/**
 * Asks before an action: `body` is what the dialog shows (nodes: text, inputs); `action(form)`
 * runs on OK and its failure is shown in the dialog, which stays open. Resolves to the
 * action's result, or undefined if cancelled.
 */
function confirm({ title, body, ok, action, danger = false }) {
  const dialog = els.dialog;
  $('confirm-title').textContent = title;
  $('confirm-body').replaceChildren(...[body].flat().filter(Boolean));
  const okButton = $('confirm-ok');
  okButton.textContent = ok;
  okButton.classList.toggle('danger', danger);
  const error = $('confirm-error');
  error.hidden = true;
  return new Promise((resolve) => {
    const form = $('confirm-form');
    const onSubmit = async (event) => {
      if (event.submitter?.value !== 'ok') return;
      event.preventDefault();
      if (!form.reportValidity()) return;
      okButton.disabled = true;
      try {
        const result = await action(form);
        finish(result);
        dialog.close();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      } finally {
        okButton.disabled = false;
      }
    };
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      form.removeEventListener('submit', onSubmit);
      resolve(result);
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', () => finish(undefined), { once: true });
    dialog.showModal();
    const first = dialog.querySelector(
      '#confirm-body input, #confirm-body select, #confirm-body textarea',
    );
    (first ?? okButton).focus();
  });
}

// ---- live ----

function follow() {
  state.streamAbort?.abort();
  const abort = new AbortController();
  state.streamAbort = abort;
  let opened = false;
  void followStream('/api/stream', {
    token: () => state.token,
    signal: abort.signal,
    onState: setLive,
    // After a reconnection, what changed meanwhile is read again by redrawing the page.
    onOpen: () => {
      if (opened) void render();
      opened = true;
    },
    onEvent: (type, data) => {
      for (const listener of state.page?.listeners ?? []) listener(type, data);
    },
    onUnauthorized: askForToken,
  });
}

async function start(token) {
  state.token = token;
  try {
    await api('/overview');
  } catch (error) {
    if (!(error instanceof Unauthorized)) {
      askForToken(error.message);
    }
    return;
  }
  gate.signedIn();
  els.view.hidden = false;
  els.nav.hidden = false;
  if (!state.routing) window.addEventListener('hashchange', () => void render());
  state.routing = true;
  await render();
  follow();
}

gate.begin();
