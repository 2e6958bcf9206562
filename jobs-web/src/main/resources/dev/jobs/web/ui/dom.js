// Building the page from data without markup: every text goes through textContent or an
// attribute, never innerHTML, so job names, parameters and log lines cannot inject anything.

/** An element: `attrs` are properties (class, id, href, type, ...) or `data-*`/`aria-*` attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role' || key === 'for') {
      node.setAttribute(key, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `node`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A time as the reader's local date and time, or a dash. */
export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** The progress of a job as 0..100, or null when it has no fraction. */
export function percent(progress) {
  if (!progress || typeof progress.fraction !== 'number') return null;
  return Math.max(0, Math.min(100, progress.fraction * 100));
}

/** What to show beside a progress bar. */
export function progressText(progress) {
  if (!progress) return '';
  const p = percent(progress);
  const parts = [];
  if (p !== null) parts.push(`${p.toFixed(p < 10 && p > 0 ? 1 : 0)}%`);
  if (progress.type === 'count') parts.push(`${progress.current} / ${progress.total}`);
  if (progress.message) parts.push(progress.message);
  return parts.join(' · ');
}

/** A <progress> element showing `progress`; indeterminate without a fraction. */
export function progressBar(progress, attrs = {}) {
  const bar = el('progress', { max: 100, ...attrs });
  setProgress(bar, progress);
  return bar;
}

export function setProgress(bar, progress) {
  const p = percent(progress);
  if (p === null) bar.removeAttribute('value');
  else bar.value = p;
  bar.setAttribute('aria-label', progressText(progress) || 'no progress reported');
}

export function statusBadge(status, attrs = {}) {
  return el('span', { class: `status status-${String(status).toLowerCase()}`, text: status, ...attrs });
}

let noticeTimer;

/** Shows a message for a few seconds (errors of actions). */
export function notice(message) {
  const box = document.getElementById('notice');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, 8000);
}
