import { renderMarkdown } from '/markdown.js';

/**
 * The customer's web chat. Messages are posted to /web/messages and everything the
 * conversation receives (its own messages, bot, agent and system replies) arrives over
 * the SSE stream; a reload continues the conversation kept in localStorage.
 */

const STORAGE_KEY = 'parcelly.chat.conversationId';
const TYPING_TIMEOUT_MS = 30_000;
const STATUS_DEFAULT = 'Our assistant answers from the Parcelly help center';

const $ = (id) => document.getElementById(id);
const els = {
  scroller: $('scroller'),
  welcome: $('welcome'),
  messages: $('messages'),
  typing: $('typing'),
  status: $('chat-status'),
  error: $('chat-error'),
  form: $('composer'),
  input: $('message-input'),
  send: $('send'),
  reset: $('new-conversation'),
};

const state = {
  conversationId: readStored(),
  /** Ids already on the page (backlog and live events overlap). */
  seen: new Set(),
  /** The highest id received from the server's message feeds: where a reconnect resumes. */
  lastId: 0,
  /** The active handoff, if any: the bot does not answer while a human has the chat. */
  handoff: null,
  /** The last send that failed, so retrying the same text or button reuses its messageId. */
  pending: null,
  /** The id of the customer message we are waiting on a reply to. */
  awaiting: 0,
  /** The highest id of a bot, agent or system message on the page. */
  lastReplyId: 0,
  typingTimer: 0,
  stream: null,
  retryTimer: 0,
  retryDelay: 1000,
  refreshTimer: 0,
};

function readStored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(id) {
  try {
    if (id) localStorage.setItem(STORAGE_KEY, id);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be unavailable (private modes); the chat still works for this visit.
  }
}

// ---- rendering ----

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function authorLabel(m) {
  if (m.role === 'bot') return 'Parcelly Support';
  if (m.role === 'agent') return `${m.author || 'Support agent'} · Support team`;
  if (m.role === 'customer') return 'You';
  return '';
}

function messageElement(m) {
  const el = document.createElement('article');
  el.className = `message ${m.role}`;
  el.dataset.messageId = m.id;
  el.dataset.role = m.role;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  bubble.id = `message-${m.id}`;
  // A message in Arabic or Hebrew reads right to left, whatever the page's direction.
  bubble.dir = 'auto';
  bubble.innerHTML = renderMarkdown(m.text, { breaks: m.role !== 'bot' });
  if (m.role === 'system') el.append(bubble);
  else el.append(metaElement(m), bubble);
  if (m.choices?.length) {
    el.dataset.choices = 'open';
    el.append(choicesElement(el, m.choices, bubble.id));
  }
  return el;
}

function metaElement(m) {
  const meta = document.createElement('div');
  meta.className = 'meta';
  const who = document.createElement('span');
  who.className = 'author';
  who.textContent = authorLabel(m);
  const time = document.createElement('time');
  const at = new Date(m.createdAt);
  if (!Number.isNaN(at.getTime())) {
    time.dateTime = at.toISOString();
    time.textContent = timeFormat.format(at);
  }
  meta.append(who, time);
  return meta;
}

/** The buttons under a question (a rating from 1 to 5); the question describes the group. */
function choicesElement(el, choices, questionId) {
  const group = document.createElement('div');
  group.className = 'choices';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Your answer');
  group.setAttribute('aria-describedby', questionId);
  for (const choice of choices) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'choice';
    button.dir = 'auto';
    button.textContent = choice.label;
    button.addEventListener('click', () => void choose(el, choice));
    group.append(button);
  }
  return group;
}

/**
 * A question with buttons is answered once the customer writes after it (a press, or typing
 * the answer): its buttons give way to "You chose 4", or are disabled when the reply was not
 * one of them. The history says so too, so a reload shows the same.
 */
function settleChoices() {
  for (const question of els.messages.querySelectorAll('[data-choices="open"]')) {
    const after = Number(question.dataset.messageId);
    const answer = [...els.messages.children].find(
      (c) => c.dataset.role === 'customer' && Number(c.dataset.messageId) > after,
    );
    if (answer) settle(question, answer.querySelector('.bubble')?.textContent ?? '');
  }
}

function settle(question, answer) {
  question.dataset.choices = 'answered';
  const group = question.querySelector('.choices');
  if (!group) return;
  const buttons = [...group.querySelectorAll('button')];
  const chosen = buttons.find((b) => b.textContent === answer.trim());
  if (!chosen) {
    for (const b of buttons) b.disabled = true;
    return;
  }
  const note = document.createElement('p');
  note.className = 'choice-made';
  note.dir = 'auto';
  note.textContent = `You chose ${chosen.textContent}`;
  const refocus = group.contains(document.activeElement);
  group.replaceWith(note);
  if (refocus) els.input.focus();
}

/** Adds a message once, in id order, and keeps the view pinned to the newest one. */
function addMessage(m, fromFeed = true) {
  const id = Number(m.id);
  if (fromFeed && id > state.lastId) state.lastId = id;
  if (state.seen.has(m.id)) return;
  state.seen.add(m.id);
  els.welcome.hidden = true;
  const follow = m.role === 'customer' || isNearEnd();
  const el = messageElement(m);
  const later = [...els.messages.children].find((c) => Number(c.dataset.messageId) > id);
  els.messages.insertBefore(el, later ?? null);
  if (m.role !== 'customer') {
    state.lastReplyId = Math.max(state.lastReplyId, id);
    if (id > state.awaiting) setTyping(false);
  }
  settleChoices();
  if (follow) reveal(el);
}

/** Whether the reader is at the newest message (not scrolled up through the history). */
function isNearEnd() {
  const s = els.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 160;
}

/** Shows a new message: a long answer from its first line, anything else by scrolling down. */
function reveal(el) {
  requestAnimationFrame(() => {
    const tall = el.offsetHeight > els.scroller.clientHeight * 0.7;
    if (tall && !el.classList.contains('customer')) el.scrollIntoView({ block: 'start' });
    else els.scroller.scrollTop = els.scroller.scrollHeight;
  });
}

function scrollToEnd() {
  requestAnimationFrame(() => {
    els.scroller.scrollTop = els.scroller.scrollHeight;
  });
}

function setTyping(on) {
  clearTimeout(state.typingTimer);
  els.typing.hidden = !on;
  if (on) {
    state.typingTimer = setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
    scrollToEnd();
  }
}

function showError(text) {
  els.error.textContent = text;
  els.error.hidden = !text;
}

function renderStatus() {
  const h = state.handoff;
  if (h?.status === 'claimed') {
    els.status.textContent = `You're chatting with ${h.agent || 'our support team'}`;
  } else if (h?.status === 'open') {
    els.status.textContent = 'A member of our support team will join shortly';
  } else {
    els.status.textContent = STATUS_DEFAULT;
  }
}

// ---- server ----

/** Loads messages after `lastId` and the handoff state; false if the conversation is gone. */
async function refresh() {
  const id = state.conversationId;
  if (!id) return true;
  const res = await fetch(
    `/web/conversations/${encodeURIComponent(id)}/messages?after=${state.lastId}`,
  );
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = await res.json();
  if (id !== state.conversationId) return true;
  state.handoff = body.handoff && body.handoff.status !== 'resolved' ? body.handoff : null;
  // With a person on the conversation the bot won't answer, so stop promising a reply.
  if (state.handoff) setTyping(false);
  renderStatus();
  for (const m of body.messages) addMessage(m);
  return true;
}

/** Bot, agent and system messages can change the handoff state: re-read it, debounced. */
function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(() => void refresh().catch(() => undefined), 150);
}

function openStream() {
  closeStream();
  const id = state.conversationId;
  if (!id) return;
  const source = new EventSource(
    `/web/conversations/${encodeURIComponent(id)}/stream?after=${state.lastId}`,
  );
  state.stream = source;
  source.addEventListener('open', () => {
    state.retryDelay = 1000;
  });
  source.addEventListener('message', (event) => {
    try {
      const message = JSON.parse(event.data);
      addMessage(message);
      if (message.role !== 'customer') scheduleRefresh();
    } catch {
      // A malformed frame is skipped; the next reconnect reloads from lastId.
    }
  });
  source.addEventListener('error', () => {
    // Reconnect ourselves so the stream resumes after the last message we saw.
    if (state.stream !== source) return;
    closeStream();
    state.retryTimer = setTimeout(openStream, state.retryDelay);
    state.retryDelay = Math.min(state.retryDelay * 2, 15_000);
  });
}

function closeStream() {
  clearTimeout(state.retryTimer);
  state.stream?.close();
  state.stream = null;
}

async function postMessage(text, messageId, choice) {
  const body = { text, messageId };
  if (choice) body.choice = choice;
  if (state.conversationId) body.conversationId = state.conversationId;
  let res;
  try {
    res = await fetch('/web/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error("We couldn't reach Parcelly Support. Check your connection and try again.");
  }
  const data = await res.json().catch(() => ({}));
  if (res.status >= 500 || !data.conversationId) {
    if (res.status >= 400 && res.status < 500 && data.message) {
      throw new Error(`Your message wasn't sent: ${data.message}.`);
    }
    throw new Error('Something went wrong on our side. Please try again in a moment.');
  }
  return data;
}

// ---- actions ----

/** Sends what the customer typed. */
async function send(text) {
  if (!text.trim()) return;
  if (await deliver(text)) {
    els.input.value = '';
    autosize();
  }
}

/** Sends a pressed button: its label as the text, its value as the choice. */
async function choose(question, choice) {
  if (question.dataset.choices !== 'open') return;
  const buttons = [...question.querySelectorAll('.choice')];
  for (const b of buttons) b.disabled = true;
  const sent = await deliver(choice.label, choice.value);
  if (sent && question.dataset.choices === 'open') settle(question, choice.label);
  if (!sent && question.dataset.choices === 'open') for (const b of buttons) b.disabled = false;
}

/**
 * Posts one customer message and shows it. A retry of the same text (or the same button)
 * after a failure reuses its messageId, so the server takes it once.
 */
async function deliver(text, choice) {
  const key = choice === undefined ? `text:${text}` : `choice:${choice}`;
  const messageId = state.pending?.key === key ? state.pending.messageId : crypto.randomUUID();
  state.pending = { key, messageId };
  showError('');
  setBusy(true);
  try {
    const sent = await postMessage(text, messageId, choice);
    state.pending = null;
    if (sent.conversationId !== state.conversationId) {
      state.conversationId = sent.conversationId;
      store(sent.conversationId);
      openStream();
    }
    if (sent.messageId) {
      state.awaiting = Number(sent.messageId);
      addMessage(
        {
          id: sent.messageId,
          role: 'customer',
          author: null,
          text: text.trim(),
          createdAt: new Date().toISOString(),
        },
        false,
      );
    }
    // An answer to a question (a rating) may get no reply: promise none.
    if (!sent.duplicate && choice === undefined) void expectReply(state.awaiting);
    return true;
  } catch (error) {
    showError(error.message);
    return false;
  } finally {
    setBusy(false);
    els.input.focus();
  }
}

/**
 * Shows "typing…" until the answer to `messageId` arrives, unless a person has the
 * conversation (then the bot stays quiet). The handoff state is re-read first, since an
 * agent may have joined since the last message.
 */
async function expectReply(messageId) {
  await refresh().catch(() => undefined);
  const answered = state.lastReplyId > messageId;
  if (!state.handoff && !answered && state.awaiting === messageId) setTyping(true);
}

function setBusy(busy) {
  els.input.disabled = busy;
  els.send.disabled = busy;
  els.form.setAttribute('aria-busy', String(busy));
}

function newConversation() {
  closeStream();
  state.conversationId = null;
  state.seen.clear();
  state.lastId = 0;
  state.lastReplyId = 0;
  state.awaiting = 0;
  state.handoff = null;
  state.pending = null;
  store(null);
  els.messages.replaceChildren();
  els.welcome.hidden = false;
  setTyping(false);
  showError('');
  renderStatus();
  els.input.focus();
}

function autosize() {
  els.input.style.height = 'auto';
  els.input.style.height = `${Math.min(els.input.scrollHeight, 160)}px`;
}

els.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void send(els.input.value);
});
els.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    els.form.requestSubmit();
  }
});
els.input.addEventListener('input', autosize);
els.reset.addEventListener('click', newConversation);

async function start() {
  if (state.conversationId) {
    try {
      if (!(await refresh())) {
        newConversation();
        return;
      }
    } catch {
      showError("We couldn't load your conversation. Check your connection; we'll keep trying.");
    }
    openStream();
  }
  els.input.focus();
}

void start();
