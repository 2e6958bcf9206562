// The dashboard: a hash router over four views (jobs, one job, schedules, dispatch), each
// rendering from the API and following its event stream while it is shown.
import { request, subscribe, onLive, ApiError } from './api.js';
import { el, fill, when, progressBar, setProgress, progressText, statusBadge, notice } from './dom.js';
import { buildFields, readFields, showErrors, clearErrors, FieldError } from './form.js';

const STATUSES = ['QUEUED', 'WAITING', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED'];
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const main = () => document.getElementById('main');

let leave = new AbortController();

onLive((on) => {
  const c = document.getElementById('connection');
  c.textContent = on ? 'live' : 'not live';
  c.classList.toggle('on', on);
});

function route() {
  leave.abort();
  leave = new AbortController();
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    parts = ['not-found'];
  }
  let view = 'jobs';
  if (parts[0] === 'jobs' && parts[1]) {
    view = 'job';
    if (UUID.test(parts[1])) jobView(parts[1].toLowerCase(), leave.signal);
    else notFound(`'${parts[1]}' is not a job id.`);
  } else if (parts[0] === 'not-found') {
    notFound('This address is not one of the dashboard\'s.');
  } else if (parts[0] === 'failed') {
    view = 'failed';
    jobsView({ failedOnly: true }, leave.signal);
  } else if (parts[0] === 'schedules') {
    view = 'schedules';
    schedulesView(leave.signal);
  } else if (parts[0] === 'dispatch') {
    view = 'dispatch';
    dispatchView(parts[1], leave.signal);
  } else {
    jobsView({ params: new URLSearchParams(query) }, leave.signal);
  }
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}


/** Runs an action, showing its refusal (read-only server, a job already finished) as a notice. */
async function act(fn) {
  try {
    return await fn();
  } catch (e) {
    notice(e instanceof ApiError ? e.message : `Request failed: ${e.message}`);
    return null;
  }
}

function debounce(fn, ms) {
  let t;
  return () => { clearTimeout(t); t = setTimeout(fn, ms); };
}

/** Runs `fn` at most once per `ms`, the last call always honoured: busy event streams never starve it. */
function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      fn();
    }, wait);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(message) {
  fill(main(), el('h1', { text: 'Not found' }), el('p', { text: message }), el('p', {}, el('a', { href: '#/', text: '← All jobs' })));
}

/** The end of an id: ids begin with their creation time, so their starts look alike. */
const shortId = (id) => `…${id.slice(-8)}`;

// ------------------------------------------------------------------ jobs and failed jobs

const listState = { status: '', q: '', sort: 'newest' };

function jobsView({ failedOnly = false }, signal) {
  const state = failedOnly ? { status: 'FAILED', q: listState.q, sort: 'newest' } : listState;
  const rows = new Map();
  const body = el('tbody');
  const more = el('button', { type: 'button', class: 'secondary', text: 'Load more', hidden: true });
  const empty = el('p', { class: 'muted', hidden: true, text: failedOnly ? 'No failed jobs.' : 'No jobs match.' });
  let next = null;

  const controls = el('div', { class: 'toolbar', role: 'search' });
  if (!failedOnly) {
    const status = el('select', { id: 'filter-status', 'aria-label': 'Status' },
      el('option', { value: '', text: 'Any status' }),
      STATUSES.map((s) => el('option', { value: s, text: s.toLowerCase() })));
    status.value = state.status;
    status.addEventListener('change', () => { state.status = status.value; reload(); });
    const sort = el('select', { id: 'sort', 'aria-label': 'Order' },
      el('option', { value: 'newest', text: 'Newest first' }),
      el('option', { value: 'oldest', text: 'Oldest first' }));
    sort.value = state.sort;
    sort.addEventListener('change', () => { state.sort = sort.value; reload(); });
    controls.append(status, sort);
  }
  const text = el('input', { type: 'search', id: 'filter-text', placeholder: 'Search name, id, parameters, error', 'aria-label': 'Search', value: state.q });
  text.addEventListener('input', debounce(() => { state.q = text.value; reload(); }, 250));
  controls.prepend(text);

  const head = el('tr', {}, el('th', { scope: 'col', text: 'Job' }), el('th', { scope: 'col', text: 'Status' }),
    el('th', { scope: 'col', text: 'Progress' }), el('th', { scope: 'col', text: failedOnly ? 'Error' : 'Created' }),
    failedOnly ? el('th', { scope: 'col', text: 'Action' }) : null);
  fill(main(), el('h1', { text: failedOnly ? 'Failed jobs' : 'Jobs' }), controls,
    el('table', { id: 'jobs-table', class: 'jobs' }, el('thead', {}, head), body), empty, more);

  function row(job) {
    const bar = progressBar(job.progress, { class: 'bar' });
    bar.hidden = !job.progress && job.status !== 'RUNNING'; // nothing to show, and not the animation of a job that is running
    const label = el('span', { class: 'progress-text', text: progressText(job.progress) });
    const tr = el('tr', { 'data-id': job.id, 'data-status': job.status },
      el('td', { 'data-label': 'Job' }, el('a', { href: `#/jobs/${job.id}`, class: 'job-link' }, el('span', { class: 'name', text: job.name }), ' ', el('code', { class: 'id', text: job.id }))),
      el('td', { 'data-label': 'Status', class: 'status-cell' }, statusBadge(job.status)),
      el('td', { 'data-label': 'Progress' }, bar, ' ', label),
      el('td', { 'data-label': failedOnly ? 'Error' : 'Created', class: failedOnly ? 'error' : '', text: failedOnly ? (job.error || '') : when(job.createdAt) }),
      failedOnly ? el('td', { 'data-label': 'Action' }, el('button', {
        type: 'button', class: 'rerun', text: 'Rerun', 'aria-label': `Rerun ${job.name} ${shortId(job.id)}`,
        onclick: async () => {
          const copy = await act(() => request(`jobs/${job.id}/rerun`, { method: 'POST' }));
          if (copy) location.hash = `#/jobs/${copy.id}`;
        },
      })) : null);
    rows.set(job.id, { tr, bar, label });
    return tr;
  }

  function query(after) {
    const p = new URLSearchParams({ limit: '50', sort: state.sort });
    if (state.status) p.set('status', state.status);
    if (state.q.trim()) p.set('q', state.q.trim());
    if (after) p.set('after', after);
    return `jobs?${p}`;
  }

  let generation = 0;
  async function reload() {
    const mine = ++generation;
    const page = await act(() => request(query()));
    if (!page || mine !== generation || signal.aborted) return;
    rows.clear();
    fill(body, page.jobs.map(row));
    next = page.next;
    more.hidden = !next;
    empty.hidden = page.jobs.length > 0;
  }
  more.addEventListener('click', async () => {
    const page = await act(() => request(query(next)));
    if (!page || signal.aborted) return;
    page.jobs.filter((j) => !rows.has(j.id)).forEach((j) => body.append(row(j)));
    next = page.next;
    more.hidden = !next;
  });

  const soon = throttle(() => { if (!signal.aborted) reload(); }, 1000);
  reload();
  subscribe(signal, {
    onOpen: soon,
    onEvent: (type, event) => {
      const r = rows.get(event.jobId);
      if (type === 'progress') {
        if (r) {
          setProgress(r.bar, event.progress);
          r.bar.hidden = false;
          r.label.textContent = progressText(event.progress);
        }
      } else if (type !== 'log' && type !== 'checkpoint') {
        soon(); // a job was added or changed status: the page as the filter sees it now
      }
    },
  });
}

// ------------------------------------------------------------------ one job

function jobView(id, signal) {
  const status = el('span', { id: 'job-status' });
  const bar = el('progress', { id: 'job-progress', max: 100 });
  const percentText = el('span', { id: 'job-percent' });
  const actions = el('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' });
  const facts = el('dl', { class: 'facts' });
  const parameters = el('pre', { id: 'job-parameters' });
  const output = el('pre', { id: 'job-output' });
  const error = el('p', { id: 'job-error', class: 'error', hidden: true });
  const failures = el('ol', { id: 'job-failures', class: 'failures' });
  const children = el('ul', { id: 'job-children' });
  const log = el('ol', { id: 'job-log', class: 'log', 'aria-live': 'polite', tabIndex: 0, 'aria-label': 'Log' });
  const title = el('h1', {}, el('span', { id: 'job-name', text: 'Job' }), ' ', el('code', { class: 'id', text: id }));
  fill(main(), el('p', {}, el('a', { href: '#/', text: '← All jobs' })), title,
    el('div', { class: 'job-head' }, status, bar, percentText), actions, error,
    el('section', { class: 'grid' },
      el('div', {}, el('h2', { text: 'Details' }), facts),
      el('div', {}, el('h2', { text: 'Parameters' }), parameters, el('h2', { text: 'Output' }), output)),
    el('section', { 'aria-labelledby': 'log-title' }, el('h2', { id: 'log-title', text: 'Log' }), log),
    el('section', {}, el('h2', { text: 'Failed attempts' }), failures),
    el('section', {}, el('h2', { text: 'Children' }), children));

  let job = null;
  let lastLog = 0; // the highest line number shown (stored or live)
  let stored = 0; // where reading the stored lines goes on from
  const lines = new Map(); // line number -> its <li>

  function render(detail) {
    job = detail;
    document.getElementById('job-name').textContent = detail.name;
    fill(status, statusBadge(detail.status, { 'data-status': detail.status }),
      detail.requested ? el('span', { class: 'muted', text: ` (${detail.requested.toLowerCase()} requested)` }) : null);
    setProgress(bar, detail.progress);
    percentText.textContent = progressText(detail.progress);
    renderActions(detail);
    const fact = (term, value) => (value === null || value === undefined || value === '' ? [] : [el('dt', { text: term }), el('dd', {}, value)]);
    const link = (other) => (other ? el('a', { href: `#/jobs/${other}` }, el('code', { text: shortId(other) })) : null);
    fill(facts,
      fact('Created', when(detail.createdAt)), fact('Started', detail.startedAt && when(detail.startedAt)),
      fact('Finished', detail.completedAt && when(detail.completedAt)),
      fact('Attempt', detail.maxAttempts ? `${detail.attempt} of ${detail.maxAttempts}` : String(detail.attempt)),
      fact('Priority', String(detail.priority)), fact('Runs at', detail.runAt && when(detail.runAt)),
      fact('Schedule', detail.schedule), fact('Rerun of', link(detail.rerunOf)), fact('Parent', link(detail.parent)),
      fact('Chain', link(detail.chain)), fact('After', link(detail.after)), fact('Unique key', detail.uniqueKey),
      fact('Last checkpoint', detail.lastCheckpoint && when(detail.lastCheckpoint)));
    parameters.textContent = detail.parameters === null || detail.parameters === undefined ? '–' : JSON.stringify(detail.parameters, null, 2);
    output.textContent = detail.output === null || detail.output === undefined ? '–' : JSON.stringify(detail.output, null, 2);
    error.hidden = !detail.error;
    error.textContent = detail.error || '';
    fill(failures, (detail.failures || []).map((f) => el('li', {}, `attempt ${f.attempt}, ${when(f.at)}: `, f.error || '')));
    if (!detail.failures || detail.failures.length === 0) failures.append(el('li', { class: 'muted', text: 'none' }));
    fill(children, (detail.children || []).map((c) => el('li', {}, el('a', { href: `#/jobs/${c.id}`, text: `${c.name} ${shortId(c.id)}` }), ' ', statusBadge(c.status))));
    if (!detail.children || detail.children.length === 0) children.append(el('li', { class: 'muted', text: 'none' }));
  }

  function button(action, label, enabled) {
    return el('button', {
      type: 'button', id: `action-${action}`, text: label, disabled: !enabled, class: action === 'cancel' ? 'danger' : '',
      onclick: async () => {
        if (action === 'cancel' && !confirm(`Cancel ${job.name} ${shortId(id)}?`)) return;
        const sent = generation;
        const result = await act(() => request(`jobs/${encodeURIComponent(id)}/${action}`, { method: 'POST' }));
        if (!result) return;
        if (action === 'rerun') location.hash = `#/jobs/${result.id}`;
        else {
          // The answer is the job as the action left it. A read begun before the action was sent
          // is older: it must not be shown over the answer. A read begun after it (an event's: the
          // job paused at once) may be newer, and the answer must not be shown over that.
          if (generation === sent) {
            generation++;
            render(result);
          }
          soon(); // read again: a read begun after the answer arrived is newer than both
        }
      },
    });
  }

  function renderActions(detail) {
    const s = detail.status;
    fill(actions,
      button('pause', 'Pause', (s === 'QUEUED' || s === 'RUNNING' || s === 'WAITING') && detail.requested !== 'PAUSE'),
      button('resume', 'Resume', s === 'PAUSED' || detail.requested === 'PAUSE'),
      button('cancel', 'Cancel', !TERMINAL.has(s)),
      button('rerun', 'Rerun', TERMINAL.has(s)));
  }

  /** Adds a stored line (`sequence`) or a live one (`logSequence`) once, in line order. */
  function addLine(line) {
    const seq = line.sequence !== undefined && line.logSequence === undefined ? line.sequence : line.logSequence;
    if (lines.has(seq)) return;
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    const li = el('li', { class: `level-${String(line.level).toLowerCase()}`, 'data-seq': seq },
      el('time', { text: new Date(line.timestamp).toLocaleTimeString() }), ' ',
      el('span', { class: 'level', text: line.level }), ' ', el('span', { class: 'message', text: line.message }));
    lines.set(seq, li);
    let after = null; // the first line shown with a higher number
    if (seq < lastLog) {
      for (const [n, other] of lines) if (n > seq && (after === null || n < Number(after.dataset.seq))) after = other;
    }
    log.insertBefore(li, after);
    lastLog = Math.max(lastLog, seq);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  let loading = null;
  /** The stored lines after those read before (one load at a time; lines seen live are skipped). */
  function loadLogs() {
    if (!loading) {
      loading = (async () => {
        for (;;) {
          const page = await act(() => request(`jobs/${id}/logs?after=${stored}&limit=500`));
          if (!page || signal.aborted) return;
          page.lines.forEach(addLine);
          stored = page.next;
          if (page.lines.length < 500) return;
        }
      })().finally(() => { loading = null; });
    }
    return loading;
  }

  // Responses may arrive out of order: an older read (RUNNING) landing after a newer one
  // (COMPLETED) must not be shown over it, so only the newest request's answer is rendered.
  let generation = 0;
  async function refresh() {
    const mine = ++generation;
    try {
      const detail = await request(`jobs/${id}`);
      if (!signal.aborted && mine === generation) render(detail);
    } catch (e) {
      if (signal.aborted || mine !== generation) return;
      if (e instanceof ApiError && e.status === 404) notFound('No job has this id (it may have been cleaned up).');
      else notice(e.message);
    }
  }

  const soon = throttle(refresh, 250);
  refresh();
  loadLogs();
  subscribe(signal, {
    onOpen: () => { soon(); loadLogs(); },
    onEvent: (type, event) => {
      if (event.jobId !== id) return;
      if (type === 'progress') {
        setProgress(bar, event.progress);
        percentText.textContent = progressText(event.progress);
      } else if (type === 'log') addLine(event);
      else if (type !== 'checkpoint') soon();
    },
  });
}

// ------------------------------------------------------------------ schedules

function schedulesView(signal) {
  const body = el('tbody');
  const empty = el('p', { class: 'muted', hidden: true, text: 'No schedules.' });
  fill(main(), el('h1', { text: 'Schedules' }), el('table', { id: 'schedules-table', class: 'jobs' },
    el('thead', {}, el('tr', {}, ['Schedule', 'When', 'Job', 'Next', 'Last job', 'Actions'].map((h) => el('th', { scope: 'col', text: h })))), body), empty);

  let generation = 0;
  async function reload() {
    const mine = ++generation;
    const list = await act(() => request('schedules'));
    if (!list || signal.aborted || mine !== generation) return;
    empty.hidden = list.schedules.length > 0;
    fill(body, list.schedules.map((s) => {
      const path = `schedules/${encodeURIComponent(s.name)}`;
      const run = async (action) => {
        const result = await act(() => request(`${path}/${action}`, { method: 'POST' }));
        if (result && action === 'run') location.hash = `#/jobs/${result.id}`;
        else if (result) reload();
      };
      return el('tr', { 'data-name': s.name },
        el('td', { 'data-label': 'Schedule' }, el('span', { class: 'name', text: s.name }), s.paused ? el('span', { class: 'muted', text: ' (paused)' }) : null),
        el('td', { 'data-label': 'When' }, el('code', { text: s.schedule })),
        el('td', { 'data-label': 'Job', text: s.job }),
        el('td', { 'data-label': 'Next', text: s.paused ? '–' : when(s.nextCheck) }),
        el('td', { 'data-label': 'Last job' }, s.lastJob ? el('a', { href: `#/jobs/${s.lastJob}` }, el('code', { text: shortId(s.lastJob) })) : '–'),
        el('td', { 'data-label': 'Actions', class: 'actions' },
          el('button', { type: 'button', text: s.paused ? 'Resume' : 'Pause', onclick: () => run(s.paused ? 'resume' : 'pause') }),
          el('button', { type: 'button', class: 'secondary', text: 'Run now', onclick: () => run('run') })));
    }));
  }
  reload();
  const soon = throttle(reload, 1000);
  subscribe(signal, { onOpen: soon, onEvent: (type) => { if (type === 'queued') soon(); } });
}

// ------------------------------------------------------------------ dispatch

async function dispatchView(name, signal) {
  const select = el('select', { id: 'dispatch-type', 'aria-label': 'Job type' }, el('option', { value: '', text: 'Choose a job type…' }));
  const form = el('form', { id: 'dispatch-form', class: 'dispatch', noValidate: true });
  const summary = el('p', { id: 'dispatch-errors', class: 'error', role: 'alert', hidden: true });
  fill(main(), el('h1', { text: 'Dispatch a job' }), el('div', { class: 'toolbar' }, select), summary, form);
  const list = await act(() => request('job-types'));
  if (!list || signal.aborted) return;
  for (const t of list.types) select.append(el('option', { value: t.name, text: t.name }));
  select.addEventListener('change', () => { location.hash = `#/dispatch/${encodeURIComponent(select.value)}`; });
  const type = list.types.find((t) => t.name === name);
  if (!name) {
    select.focus();
    return;
  }
  if (!type) {
    fill(form, el('p', { class: 'error', text: `No job type is called '${name}'.` }));
    return;
  }
  select.value = name;
  const schema = typeof type.schema === 'object' && type.schema ? type.schema : {};
  if (schema.description) form.append(el('p', { class: 'muted', text: schema.description }));
  buildFields(form, schema);
  form.append(el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'dispatch-submit', text: `Dispatch ${name}` })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    summary.hidden = true;
    clearErrors(form);
    let parameters;
    try {
      parameters = readFields(form);
    } catch (err) {
      if (err instanceof FieldError) {
        showErrors(form, [{ field: err.field, problem: err.message }]);
        return;
      }
      throw err;
    }
    try {
      const job = await request('jobs', { method: 'POST', json: `{"name":${JSON.stringify(name)},"parameters":${parameters}}` });
      location.hash = `#/jobs/${job.id}`;
    } catch (err) {
      const errors = err instanceof ApiError && Array.isArray(err.problem.errors) ? err.problem.errors : [];
      const unplaced = showErrors(form, errors);
      if (errors.length === 0 || unplaced.length > 0) {
        summary.textContent = err.message;
        summary.hidden = false;
      }
    }
  });
  const first = form.querySelector('input, select, textarea');
  if (first) first.focus();
}

window.addEventListener('hashchange', route);
route(); // a module runs once the document is parsed, and this line once the module's declarations are
