import { apiClient, followStream, load, save, showLive, tokenGate, Unauthorized } from '/admin.js';
import { escapeHtml, renderMarkdown } from '/markdown.js';

/**
 * The agent desk used while Slack is not configured. It reads /desk/api/* with the admin
 * token and follows /desk/api/stream (see admin.js).
 */

const TOKEN_KEY = 'switchboard.desk.token';
const AGENT_KEY = 'switchboard.desk.agent';
const STATUSES = ['open', 'claimed', 'resolved'];

const $ = (id) => document.getElementById(id);
const els = {
  live: $('live-status'),
  agent: $('agent-name'),
  desk: $('desk'),
  list: $('handoff-list'),
  listEmpty: $('list-empty'),
  listError: $('list-error'),
  detailEmpty: $('detail-empty'),
  detailBody: $('detail-body'),
  customer: $('detail-customer'),
  meta: $('detail-meta'),
  badges: $('detail-badges'),
  summary: $('detail-summary'),
  conversation: $('conversation'),
  error: $('desk-error'),
  claim: $('claim'),
  resolve: $('resolve'),
  note: $('action-note'),
  replyForm: $('reply-form'),
  replyInput: $('reply-input'),
  replySend: $('reply-send'),
  editingNote: $('editing-note'),
  editingCancel: $('editing-cancel'),
  assist: $('assist'),
  facts: $('assist-facts'),
  suggestion: $('assist-suggestion'),
  suggestionBody: $('suggestion-body'),
  suggestionText: $('suggestion-text'),
  suggestionSources: $('suggestion-sources'),
  suggestionNone: $('suggestion-none'),
  suggestionSend: $('suggestion-send'),
  suggestionEdit: $('suggestion-edit'),
  suggestionDismiss: $('suggestion-dismiss'),
};

const state = {
  token: null,
  filter: 'open',
  /** @type {Map<number, object>} handoffs by id */
  handoffs: new Map(),
  selected: null,
  /** Message ids shown for the selected handoff (stream and reloads overlap). */
  seen: new Set(),
  unread: new Set(),
  streamAbort: null,
  busy: false,
  /** @type {Map<number, object>} the agent's card of each claimed handoff, by handoff id */
  cards: new Map(),
  /** Card events seen per handoff, so a card fetched before the newest event never wins. */
  cardEvents: new Map(),
  /** The suggestion put into the reply box with Edit: `{ handoffId, suggestionId }`. */
  editing: null,
  /** @type {Map<number, object[]>} lines for the agent (ratings) seen live, by handoff id */
};

/** Internal notes start with `//` (as the engine reads them). */
const INTERNAL_NOTE = /^\s*\/\//;

// ---- token ----

const gate = tokenGate({
  key: TOKEN_KEY,
  onSignIn: (token) => start(token),
  onSignOut() {
    stopStream();
    state.token = null;
    els.desk.hidden = true;
    setLive('off');
  },
});
const askForToken = gate.ask;

// ---- API ----

const api = apiClient('/desk/api', { token: () => state.token, onUnauthorized: askForToken });

// ---- live stream ----

function runStream() {
  stopStream();
  const abort = new AbortController();
  state.streamAbort = abort;
  void followStream('/desk/api/stream', {
    token: () => state.token,
    signal: abort.signal,
    onState: setLive,
    onOpen: refreshAll,
    onEvent,
    onUnauthorized: askForToken,
  });
}

function stopStream() {
  state.streamAbort?.abort();
  state.streamAbort = null;
}

function onEvent(event, payload) {
  if (event === 'handoff') {
    upsertHandoff(payload);
  } else if (event === 'message') {
    if (payload.handoffId === state.selected) addMessage(payload);
    else if (payload.role === 'customer') state.unread.add(payload.handoffId);
    renderList();
  } else if (event === 'card') {
    const id = payload.handoffId;
    state.cardEvents.set(id, (state.cardEvents.get(id) ?? 0) + 1);
    state.cards.set(id, payload);
    if (id === state.selected) renderCard();
  }
}

const setLive = (mode) => showLive(els.live, mode);

// ---- handoffs ----

async function refreshAll() {
  // One request per status, so a long tail of resolved handoffs never crowds out open ones.
  const lists = await Promise.all(STATUSES.map((s) => api(`/handoffs?status=${s}`)));
  for (const { handoffs } of lists) for (const h of handoffs) remember(h);
  showListError('');
  renderList();
  if (state.selected && state.handoffs.has(state.selected)) await openHandoff(state.selected);
}

/**
 * Keeps the newest known state of a handoff. A handoff only moves forward (open, claimed,
 * resolved), so a list fetched before a live event arrived cannot undo what the event said.
 */
function remember(h) {
  const known = state.handoffs.get(h.id);
  if (known && STATUSES.indexOf(known.status) > STATUSES.indexOf(h.status)) return;
  state.handoffs.set(h.id, h);
}

function upsertHandoff(h) {
  remember(h);
  renderList();
  if (h.id === state.selected) renderDetail();
}

function age(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

const PLATFORMS = { web: 'Web chat', slack: 'Slack', discord: 'Discord', telegram: 'Telegram' };
const platformName = (platform) => PLATFORMS[platform] ?? platform;

function statusLabel(h) {
  if (h.status === 'open') return 'Waiting for an agent';
  if (h.status === 'claimed') return `Claimed by ${h.agent ?? 'an agent'}`;
  return h.agent ? `Resolved by ${h.agent}` : 'Resolved';
}

function badges(h) {
  const badge = (kind, value) =>
    value
      ? `<span class="badge ${kind} ${kind}-${escapeHtml(value)}" title="${kind}">${escapeHtml(value.replace(/[-_]/g, ' '))}</span>`
      : '';
  return (
    badge('category', h.category) + badge('priority', h.priority) + badge('sentiment', h.sentiment)
  );
}

function renderList() {
  const all = [...state.handoffs.values()];
  for (const status of STATUSES) {
    const n = all.filter((h) => h.status === status).length;
    document.querySelector(`[data-count="${status}"]`).textContent = String(n);
  }
  for (const tab of document.querySelectorAll('.tab')) {
    tab.setAttribute('aria-pressed', String(tab.dataset.status === state.filter));
  }
  const shown = all
    .filter((h) => h.status === state.filter)
    .sort((a, b) => (state.filter === 'resolved' ? b.id - a.id : a.id - b.id));
  els.list.replaceChildren(
    ...shown.map((h) => {
      const li = document.createElement('li');
      const unread = state.unread.has(h.id)
        ? '<span class="unread" title="New messages"></span>'
        : '';
      const agent = h.agent ? ` · ${escapeHtml(h.agent)}` : '';
      li.innerHTML = `
        <button type="button" class="handoff-item" data-handoff-id="${h.id}"
          aria-current="${h.id === state.selected}">
          <span class="item-top">
            <span class="item-customer" dir="auto">${unread}${escapeHtml(h.customer || 'Customer')}</span>
            <span class="item-age" data-age="${escapeHtml(h.createdAt)}">${age(h.createdAt)}</span>
          </span>
          <span class="item-platform">${escapeHtml(platformName(h.platform))} · #${h.id}${agent}</span>
          <span class="item-summary" dir="auto">${escapeHtml(h.summary || 'No summary')}</span>
          <span class="badges">${badges(h)}</span>
        </button>`;
      return li;
    }),
  );
  els.listEmpty.hidden = shown.length > 0;
  const open = all.filter((h) => h.status === 'open').length;
  document.title = `${open ? `(${open}) ` : ''}Desk · Switchboard`;
}

async function openHandoff(id) {
  const firstOpen = state.selected !== id;
  state.selected = id;
  state.unread.delete(id);
  if (firstOpen) {
    state.seen.clear();
    els.conversation.replaceChildren();
    showError('');
    els.replyInput.value = '';
    setEditing(null);
  }
  renderList();
  renderDetail();
  try {
    const { handoff, messages } = await api(`/handoffs/${id}/messages`);
    if (state.selected !== id) return;
    remember(handoff);
    for (const m of messages) addMessage(m);
    if (handoff.status !== 'open') await loadCard(id);
    renderList();
    renderDetail();
  } catch (error) {
    if (!(error instanceof Unauthorized)) showError(error.message);
  }
}

/** Reads a handoff's card; a 404 means it has none (yet). */
async function loadCard(id) {
  const seen = state.cardEvents.get(id) ?? 0;
  let card = null;
  try {
    ({ card } = await api(`/handoffs/${id}/card`));
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  // A card event that arrived meanwhile is newer than this answer.
  if ((state.cardEvents.get(id) ?? 0) !== seen) return;
  if (card) state.cards.set(id, card);
  else state.cards.delete(id);
}

function renderDetail() {
  const h = state.handoffs.get(state.selected);
  els.detailEmpty.hidden = Boolean(h);
  els.detailBody.hidden = !h;
  if (!h) return;
  els.customer.textContent = h.customer || 'Customer';
  els.meta.innerHTML = `${escapeHtml(platformName(h.platform))} · #${h.id} · opened ${age(h.createdAt)}
    <span class="status status-${escapeHtml(h.status)}">${escapeHtml(statusLabel(h))}</span>`;
  els.badges.innerHTML = badges(h);
  els.summary.textContent = h.summary || '';
  els.claim.hidden = h.status !== 'open';
  els.resolve.hidden = h.status === 'resolved';
  els.replyForm.hidden = h.status !== 'claimed';
  els.note.textContent =
    h.status === 'open'
      ? 'Claim this handoff to reply to the customer.'
      : h.status === 'resolved'
        ? 'Resolved. If the customer writes again, the bot answers first.'
        : '';
  els.note.hidden = h.status === 'claimed';
  for (const b of [els.claim, els.resolve, els.replySend]) b.disabled = state.busy;
  if (h.status !== 'claimed' && state.editing) setEditing(null);
  renderCard();
}

// ---- the agent's card ----

const percent = (n) => `${Math.round(n * 100)}%`;

/** A term and its description in the card's list; the description is HTML made here. */
function fact(term, html) {
  const row = document.createElement('div');
  row.className = 'fact';
  row.innerHTML = `<dt>${escapeHtml(term)}</dt><dd>${html}</dd>`;
  return row;
}

function environmentLine(env) {
  if (!env) return '';
  const app = env.appVersion ? `app ${env.appVersion}` : null;
  return [env.device, env.os, env.browser, app].filter(Boolean).join(' · ');
}

/** "One of 14 reports of *App crashes when opening Settings*". */
function clusterLine(cluster) {
  const title = `<em dir="auto">${escapeHtml(cluster.title)}</em>`;
  return cluster.reports > 1
    ? `One of ${cluster.reports} reports of ${title}`
    : `The only report of ${title} so far`;
}

function ticketItem(t) {
  const cluster = t.cluster ? `<span class="cluster-line">${clusterLine(t.cluster)}</span>` : '';
  return `<li><span class="ticket-line"><strong>${escapeHtml(t.ref)}</strong>
    <span class="ticket-status">${escapeHtml(t.status.replace(/[-_]/g, ' '))}</span>
    <span dir="auto">${escapeHtml(t.summary)}</span></span>${cluster}</li>`;
}

/** Shows the selected handoff's card above the conversation: context, then the draft. */
function renderCard() {
  const h = state.handoffs.get(state.selected);
  const card = h && h.status !== 'open' ? state.cards.get(h.id) : undefined;
  els.assist.hidden = !card;
  if (!card) return;
  const c = card.classification;
  const confidence =
    typeof c.confidence === 'number'
      ? ` <span class="confidence">${percent(c.confidence)} confidence</span>`
      : '';
  const rows = [
    fact(
      'Customer',
      `<span dir="auto">${escapeHtml(card.customer.name || 'Customer')}</span> · ${escapeHtml(platformName(card.customer.platform))}`,
    ),
    fact('Classification', `<span class="badges">${badges(c)}</span>${confidence}`),
  ];
  const setup = environmentLine(card.environment);
  if (setup) rows.push(fact('Setup', `<span dir="auto">${escapeHtml(setup)}</span>`));
  rows.push(
    fact(
      'Open tickets',
      card.tickets.length
        ? `<ul class="assist-list">${card.tickets.map(ticketItem).join('')}</ul>`
        : 'None',
    ),
  );
  if (card.sections.length) {
    const items = card.sections.map((name) => `<li dir="auto">${escapeHtml(name)}</li>`).join('');
    rows.push(fact('Relevant docs', `<ul class="assist-list">${items}</ul>`));
  }
  els.facts.replaceChildren(...rows);

  // A draft is for a claimed conversation: before the claim there is none, after a resolve it is moot.
  els.suggestion.hidden = h.status !== 'claimed';
  const s = card.suggestion;
  els.suggestionBody.hidden = !s;
  els.suggestionNone.hidden = Boolean(s);
  if (!s) return;
  if (els.suggestionText.dataset.suggestionId !== String(s.id)) {
    els.suggestionText.dataset.suggestionId = String(s.id);
    els.suggestionText.innerHTML = renderMarkdown(s.text, { breaks: false });
  }
  els.suggestionSources.textContent = s.sources.length ? `From ${s.sources.join('; ')}` : '';
  els.suggestionSources.hidden = !s.sources.length;
  for (const b of [els.suggestionSend, els.suggestionEdit, els.suggestionDismiss]) {
    b.disabled = state.busy;
  }
}

function currentSuggestion() {
  return state.cards.get(state.selected)?.suggestion ?? null;
}

/** Marks the reply box as holding an edited suggestion (or not). */
function setEditing(editing) {
  state.editing = editing;
  els.editingNote.hidden = !editing;
}

function addMessage(m) {
  if (state.seen.has(m.id)) return;
  state.seen.add(m.id);
  const el = document.createElement('article');
  const kind = m.internal ? 'internal' : m.role;
  el.className = `message ${kind}`;
  el.dataset.messageId = m.id;
  el.dataset.role = m.role;
  el.dataset.at = m.createdAt;
  const label = {
    customer: m.author || 'Customer',
    bot: 'Bot',
    agent: m.author || 'Agent',
    internal: `Internal note · ${m.author || 'agent'}`,
    system: '',
  }[kind];
  const at = new Date(m.createdAt);
  const time = Number.isNaN(at.getTime())
    ? ''
    : `<time datetime="${at.toISOString()}">${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>`;
  const meta = label
    ? `<div class="meta"><span class="author">${escapeHtml(label)}</span>${time}</div>`
    : '';
  // The desk sees a question's buttons (a rating) as a line; only the customer presses them.
  const choices = m.choices?.length
    ? `<p class="choices-preview">Buttons: <span dir="auto">${m.choices.map((c) => escapeHtml(c.label)).join(' · ')}</span></p>`
    : '';
  el.innerHTML = `${meta}<div class="bubble" dir="auto">${renderMarkdown(m.text, { breaks: m.role !== 'bot' })}</div>${choices}`;
  const id = Number(m.id);
  const later = [...els.conversation.children].find((c) => Number(c.dataset.messageId) > id);
  els.conversation.insertBefore(el, later ?? null);
  requestAnimationFrame(() => {
    els.conversation.scrollTop = els.conversation.scrollHeight;
  });
}

/** A line the engine posted for the agent (the customer's rating), where it falls in time. */
function showListError(text) {
  els.listError.textContent = text;
  els.listError.hidden = !text;
}

function showError(text) {
  els.error.textContent = text;
  els.error.hidden = !text;
}

// ---- agent actions ----

function agentName() {
  const name = els.agent.value.trim();
  if (!name) {
    showError('Enter your name at the top of the page first; the customer sees it.');
    els.agent.focus();
    return null;
  }
  return name;
}

/**
 * Runs one agent action on the selected handoff, then shows its fresh state. Returns the
 * answer, or false when refused; with `allowStale`, a stale suggestion returns 'stale' quietly.
 */
async function act(path, extra = {}, { allowStale = false } = {}) {
  const id = state.selected;
  const name = agentName();
  if (!id || !name) return false;
  showError('');
  state.busy = true;
  renderDetail();
  try {
    const result = await api(`/handoffs/${id}/${path}`, {
      method: 'POST',
      body: { agent: { name }, ...extra },
    });
    if (result.handoff) {
      remember(result.handoff);
      state.filter = result.handoff.status;
    }
    if (result.card !== undefined) {
      if (result.card) state.cards.set(id, result.card);
      else state.cards.delete(id);
    }
    return result;
  } catch (error) {
    if (error instanceof Unauthorized) return false;
    if (allowStale && error.code === 'stale') return 'stale';
    showError(error.message);
    // A conflict means someone else changed it: show the handoff as it is now.
    if (error.status === 409) await refreshAll().catch(() => undefined);
    return false;
  } finally {
    state.busy = false;
    if (state.token && state.selected === id) await openHandoff(id);
  }
}

els.claim.addEventListener('click', async () => {
  if (await act('claim')) els.replyInput.focus();
});
els.resolve.addEventListener('click', () => void act('resolve'));
els.replyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = els.replyInput.value;
  if (!text.trim()) return;
  const editing =
    state.editing?.handoffId === state.selected && !INTERNAL_NOTE.test(text) ? state.editing : null;
  let sent;
  if (editing) {
    sent = await act(`suggestions/${editing.suggestionId}/send`, { text }, { allowStale: true });
    // A newer draft replaced the one being edited; the text is the agent's own reply now.
    if (sent === 'stale') sent = await act('reply', { text });
  } else {
    sent = await act('reply', { text });
  }
  if (sent) {
    els.replyInput.value = '';
    setEditing(null);
    els.replyInput.focus();
  }
});
els.suggestionSend.addEventListener('click', () => {
  const s = currentSuggestion();
  if (s) void act(`suggestions/${s.id}/send`);
});
els.suggestionEdit.addEventListener('click', () => {
  const s = currentSuggestion();
  if (!s) return;
  els.replyInput.value = s.text;
  setEditing({ handoffId: state.selected, suggestionId: s.id });
  els.replyInput.focus();
  els.replyInput.setSelectionRange(s.text.length, s.text.length);
});
els.suggestionDismiss.addEventListener('click', async () => {
  const s = currentSuggestion();
  if (!s || !(await act(`suggestions/${s.id}/dismiss`))) return;
  if (state.editing?.suggestionId !== s.id) return;
  // The draft is put away: so is its text, unless the agent made it their own.
  if (els.replyInput.value === s.text) els.replyInput.value = '';
  setEditing(null);
});
els.editingCancel.addEventListener('click', () => {
  setEditing(null);
  els.replyInput.value = '';
  els.replyInput.focus();
});
els.replyInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    els.replyForm.requestSubmit();
  }
});
els.list.addEventListener('click', (event) => {
  const item = event.target.closest('[data-handoff-id]');
  if (item) void openHandoff(Number(item.dataset.handoffId));
});
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    state.filter = tab.dataset.status;
    renderList();
  });
}
els.agent.addEventListener('input', () => save(AGENT_KEY, els.agent.value.trim()));

// Keep the ages ("5 min ago") current.
setInterval(() => {
  for (const el of document.querySelectorAll('[data-age]')) el.textContent = age(el.dataset.age);
  if (state.selected) renderDetail();
}, 30_000);

async function start(token) {
  state.token = token;
  gate.signedIn();
  showListError('');
  try {
    await refreshAll();
  } catch (error) {
    if (error instanceof Unauthorized) return;
    showListError(error.message);
  }
  els.desk.hidden = false;
  runStream();
}

els.agent.value = load(AGENT_KEY) ?? '';
gate.begin();
