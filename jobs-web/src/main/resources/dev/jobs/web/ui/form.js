// A dispatch form generated from a job type's JSON Schema: one field per property, its type
// deciding the control; the values read back into the parameters object the API takes.
import { el } from './dom.js';

const fieldId = (name) => `field-${name}`;
const errorId = (name) => `error-${name}`;

/** The form's fields for `schema` (an object schema), appended to `form`. */
export function buildFields(form, schema) {
  const required = new Set(schema.required || []);
  const properties = schema.properties || {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    form.append(el('p', { class: 'muted', text: 'This job takes no parameters.' }));
  }
  for (const name of names) {
    const prop = properties[name] || {};
    const control = controlFor(name, prop, required.has(name));
    const label = el('label', { for: fieldId(name) }, name, required.has(name) ? el('span', { class: 'required', text: ' *', 'aria-hidden': 'true' }) : null);
    const help = prop.description ? el('span', { class: 'help', id: `help-${name}`, text: prop.description }) : null;
    if (help) control.setAttribute('aria-describedby', `help-${name} ${errorId(name)}`);
    else control.setAttribute('aria-describedby', errorId(name));
    form.append(el('div', { class: 'field', 'data-field': name }, label, control, help, el('span', { class: 'field-error', id: errorId(name), 'aria-live': 'polite' })));
  }
}

function controlFor(name, prop, required) {
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
  const common = { id: fieldId(name), name, required, 'data-type': type || 'json' };
  if (Array.isArray(prop.enum)) {
    const select = el('select', common, required ? null : el('option', { value: '', text: '(default)' }));
    for (const value of prop.enum) select.append(el('option', { value: String(value), text: String(value) }));
    if (prop.default !== undefined) select.value = String(prop.default);
    select.dataset.type = 'enum';
    return select;
  }
  switch (type) {
    case 'boolean': {
      const box = el('input', { ...common, type: 'checkbox', required: false });
      box.checked = prop.default === true;
      return box;
    }
    case 'integer':
    case 'number': {
      const input = el('input', { ...common, type: 'number', step: type === 'integer' ? '1' : 'any', inputMode: type === 'integer' ? 'numeric' : 'decimal' });
      if (typeof prop.minimum === 'number' && Math.abs(prop.minimum) < 1e15) input.min = prop.minimum;
      if (typeof prop.maximum === 'number' && Math.abs(prop.maximum) < 1e15) input.max = prop.maximum;
      if (prop.default !== undefined) input.placeholder = String(prop.default);
      return input;
    }
    case 'string': {
      const input = el('input', { ...common, type: 'text', autocomplete: 'off', spellcheck: false });
      if (prop.default !== undefined) input.placeholder = String(prop.default);
      if (prop.format) input.title = `format: ${prop.format}`;
      return input;
    }
    case 'array': {
      const area = el('textarea', { ...common, rows: 3, spellcheck: false, placeholder: 'one value per line' });
      area.dataset.items = (prop.items && prop.items.type) || 'string';
      return area;
    }
    default: {
      const area = el('textarea', { ...common, rows: 3, spellcheck: false, placeholder: 'JSON' });
      area.dataset.type = 'json';
      return area;
    }
  }
}

class FieldError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

/** The parameters the form's fields hold; throws a FieldError naming the field that cannot be read. */
export function readFields(form) {
  const parameters = {};
  for (const control of form.querySelectorAll('[data-type]')) {
    const name = control.name;
    const type = control.dataset.type;
    if (type === 'boolean') {
      parameters[name] = control.checked;
      continue;
    }
    const raw = control.value.trim();
    if (raw === '') continue; // the job's default
    if (type === 'integer' || type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) {
        throw new FieldError(name, type === 'integer' ? 'must be a whole number' : 'must be a number');
      }
      parameters[name] = n;
    } else if (type === 'array') {
      const lines = raw.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const numeric = control.dataset.items === 'integer' || control.dataset.items === 'number';
      parameters[name] = numeric ? lines.map(Number) : lines;
    } else if (type === 'json') {
      try {
        parameters[name] = JSON.parse(raw);
      } catch (e) {
        throw new FieldError(name, 'is not valid JSON');
      }
    } else {
      parameters[name] = raw;
    }
  }
  return parameters;
}

/** Shows the errors of a refused dispatch next to their fields; returns those it could not place. */
export function showErrors(form, errors) {
  clearErrors(form);
  const unplaced = [];
  for (const error of errors) {
    const top = String(error.field || '').split(/[.[]/)[0];
    const slot = top && form.querySelector(`#${CSS.escape(errorId(top))}`);
    if (slot) {
      slot.textContent = error.problem || 'is invalid';
      const control = form.querySelector(`#${CSS.escape(fieldId(top))}`);
      if (control) control.setAttribute('aria-invalid', 'true');
    } else {
      unplaced.push(error);
    }
  }
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return unplaced;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

export { FieldError };
