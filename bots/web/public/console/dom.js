/**
 * Building the console's DOM. Every text goes in as a text node, never as HTML, so a
 * ticket whose words are markup or script shows as those words.
 */

/**
 * `h('a', { href, class: 'x', onclick }, 'text', child)`: an element with attributes,
 * listeners (`on*`) and children (strings become text; null, undefined and false are
 * skipped; arrays are flattened).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  el.append(...nodes(children));
  return el;
}

function nodes(children) {
  return children
    .flat(Number.POSITIVE_INFINITY)
    .filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : document.createTextNode(String(c))));
}

/** Text a customer or an agent wrote: its direction is its own (Arabic, Hebrew…). */
export const userText = (tag, text, props = {}) => h(tag, { ...props, dir: 'auto' }, text ?? '');

const PLATFORMS = { web: 'Web chat', slack: 'Slack', discord: 'Discord', telegram: 'Telegram' };
export const platformName = (p) => PLATFORMS[p] ?? p;

/** "5 min ago", with the exact time on hover. */
export function ago(iso) {
  if (!iso) return h('span', {}, '—');
  const at = new Date(iso);
  const seconds = Math.max(0, (Date.now() - at.getTime()) / 1000);
  const text =
    seconds < 60
      ? 'just now'
      : seconds < 3600
        ? `${Math.floor(seconds / 60)} min ago`
        : seconds < 86_400
          ? `${Math.floor(seconds / 3600)} h ago`
          : `${Math.floor(seconds / 86_400)} d ago`;
  return h('time', { datetime: at.toISOString(), title: at.toLocaleString() }, text);
}

export const dateTime = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

/** A small labelled badge: `badge('urgency', 'urgent')` → class `badge urgency-urgent`. */
export function badge(kind, value, label = String(value).replace(/[-_]/g, ' ')) {
  if (!value) return null;
  return h('span', { class: `badge ${kind} ${kind}-${value}`, title: kind }, label);
}

const TREND_LABELS = { new: 'New', rising: 'Rising ↑', falling: 'Falling ↓' };
/** New / rising / falling, as the digest marks them; nothing for a steady problem. */
export const trendBadge = (trend) =>
  TREND_LABELS[trend] ? badge('trend', trend, TREND_LABELS[trend]) : null;

/** `{ "3.2.1": 6, "3.2.0": 1 }` → "3.2.1 (6), 3.2.0 (1)", most first. */
export function counted(counts, max = 4) {
  const entries = Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return '—';
  const shown = entries.slice(0, max).map(([k, n]) => `${k} (${n})`);
  return entries.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** The setup a customer gave, in one line. */
export function environmentLine(env) {
  if (!env) return '—';
  const parts = [env.device, env.os, env.appVersion && `app ${env.appVersion}`, env.browser];
  const line = parts.filter(Boolean).join(' · ');
  return line || '—';
}

export const percent = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);

/** A page's heading row: title, then anything beside it. */
export const pageHeader = (title, ...aside) =>
  h('div', { class: 'page-header' }, h('h2', { id: 'page-title' }, title), ...aside);

/** A message in the page's alert region. */
export function errorBox(message) {
  return h('p', { class: 'error-banner', role: 'alert' }, message);
}

/** A labelled `<select>`: options are `[value, label]` pairs (`''` for "any"). */
export function select(label, name, options, value, onchange) {
  const id = `filter-${name}`;
  return h(
    'label',
    { class: 'field', for: id },
    h('span', {}, label),
    h(
      'select',
      { id, name, onchange },
      options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') }, text)),
    ),
  );
}

/** A labelled text input. */
export function input(label, name, value, props = {}) {
  const id = `field-${name}`;
  return h(
    'label',
    { class: 'field', for: id },
    h('span', {}, label),
    h('input', { id, name, value: value ?? '', ...props }),
  );
}
