// The API client: JSON requests, the token, and Server-Sent Events read with fetch (so that the
// Authorization header can be sent, which EventSource cannot do).

const TOKEN_KEY = 'jobs.token';

/** An error answered by the API as problem+json. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

let tokenPrompt = null;

/** Asks for the server's token once, however many requests were refused meanwhile. */
function askToken() {
  if (!tokenPrompt) {
    tokenPrompt = new Promise((resolve) => {
      const dialog = document.createElement('form');
      dialog.className = 'token-dialog';
      dialog.setAttribute('aria-label', 'Token');
      const label = document.createElement('label');
      label.textContent = 'This server needs a token: ';
      const input = document.createElement('input');
      input.type = 'password';
      input.id = 'token-input';
      input.autocomplete = 'current-password';
      input.required = true;
      label.append(input);
      const ok = document.createElement('button');
      ok.type = 'submit';
      ok.textContent = 'Sign in';
      dialog.append(label, ok);
      dialog.addEventListener('submit', (e) => {
        e.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, input.value);
        dialog.remove();
        tokenPrompt = null;
        resolve();
      });
      document.body.prepend(dialog);
      input.focus();
    });
  }
  return tokenPrompt;
}

/**
 * A request to the API; resolves to the parsed JSON body (or null), rejects with ApiError.
 * `body` is sent as JSON; `json` is JSON text already written (integers beyond 2^53 kept exact).
 */
export async function request(path, { method = 'GET', body, json: written } = {}) {
  for (;;) {
    const init = { method, headers: headers(), cache: 'no-store' };
    if (method !== 'GET') {
      init.headers['X-Jobs-Request'] = '1';
    }
    if (body !== undefined || written !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = written !== undefined ? written : JSON.stringify(body);
    }
    const res = await fetch(`api/${path}`, init);
    if (res.status === 401) {
      await askToken();
      continue;
    }
    const text = await res.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new ApiError(res.status, { title: 'Bad response', detail: `the server answered ${res.status}` });
      }
    }
    if (!res.ok) {
      throw new ApiError(res.status, json || { title: `HTTP ${res.status}` });
    }
    return json;
  }
}

const live = new Set();
const listeners = new Set();

/** Calls back with true/false when the count of connected streams goes from or to zero. */
export function onLive(listener) {
  listeners.add(listener);
}

function setLive(stream, on) {
  if (on) live.add(stream); else live.delete(stream);
  listeners.forEach((l) => l(live.size > 0));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows an event stream until `signal` aborts: `onOpen()` when (re)connected (reload what may
 * have been missed), `onEvent(type, data)` for each event. Reconnects after a drop, unless
 * `reconnect()` says no.
 */
export function follow(path, { signal, onOpen, onEvent, reconnect = () => true }) {
  const stream = {};
  (async () => {
    let delay = 500;
    while (!signal.aborted) {
      try {
        const res = await fetch(`api/${path}`, {
          headers: headers({ Accept: 'text/event-stream' }),
          cache: 'no-store',
          signal,
        });
        if (res.status === 401) {
          await askToken();
          continue;
        }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        setLive(stream, true);
        delay = 500;
        if (onOpen) onOpen();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (data) onEvent(type, JSON.parse(data));
          }
        }
      } catch (e) {
        if (signal.aborted) break;
      }
      setLive(stream, false);
      if (signal.aborted || !reconnect()) break;
      await sleep(delay);
      delay = Math.min(delay * 2, 10000);
    }
    setLive(stream, false);
  })();
}

// One stream of every job's events for the whole page, whatever the view: changing views opens
// no new connection (a server allows only so many), and each view listens to it while shown.
const hub = { events: new Set(), opens: new Set(), started: false };

/**
 * Calls `onEvent(type, data)` for each event and `onOpen()` after each (re)connection (reload
 * what may have been missed) until `signal` aborts. Views load their data over REST themselves:
 * a page stays usable when the stream cannot connect.
 */
export function subscribe(signal, { onEvent, onOpen }) {
  if (onEvent) hub.events.add(onEvent);
  if (onOpen) hub.opens.add(onOpen);
  signal.addEventListener('abort', () => {
    hub.events.delete(onEvent);
    hub.opens.delete(onOpen);
  });
  if (!hub.started) {
    hub.started = true;
    follow('events', {
      signal: new AbortController().signal,
      onOpen: () => hub.opens.forEach((f) => f()),
      onEvent: (type, data) => hub.events.forEach((f) => f(type, data)),
    });
  }
}
