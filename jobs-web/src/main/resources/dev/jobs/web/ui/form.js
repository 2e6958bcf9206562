// A dispatch form generated from a job type's JSON Schema: one field per property, its type
// deciding the control; the values read back into the JSON text of the parameters object.
import { el } from './dom.js';

const fieldId = (name) => `field-${name}`;
const errorId = (name) => `error-${name}`;

/** An integer kept as its digits: JavaScript numbers lose precision beyond 2^53 (Java longs don't). */
class Digits {
  constructor(text) {
    this.text = text;
  }
}

/** JSON text of `value`, writing Digits as bare numbers. */
export function toJson(value) {
  if (value instanceof Digits) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const typeOf = (prop) => (Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type);
const SCALAR_ITEMS = new Set(['string', 'integer', 'number']);

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
    control.setAttribute('aria-describedby', help ? `help-${name} ${errorId(name)}` : errorId(name));
    form.append(el('div', { class: 'field', 'data-field': name }, label, control, help, el('span', { class: 'field-error', id: errorId(name), 'aria-live': 'polite' })));
  }
}

function controlFor(name, prop, required) {
  const type = typeOf(prop);
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
      if (!required && (prop.default === undefined || prop.default === null)) {
        // an optional Boolean without a default: absent, true or false
        const select = el('select', common, el('option', { value: '', text: '(default)' }),
          el('option', { value: 'true', text: 'true' }), el('option', { value: 'false', text: 'false' }));
        select.dataset.type = 'tristate';
        return select;
      }
      const box = el('input', { ...common, type: 'checkbox', required: false });
      box.checked = prop.default === true;
      return box;
    }
    case 'integer':
    case 'number': {
      const input = el('input', { ...common, type: 'text', inputMode: type === 'integer' ? 'numeric' : 'decimal', autocomplete: 'off' });
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
      const items = typeOf(prop.items || {}) || 'json';
      if (SCALAR_ITEMS.has(items) && !(prop.items && Array.isArray(prop.items.enum) && items !== 'string')) {
        const area = el('textarea', { ...common, rows: 3, spellcheck: false, placeholder: 'one value per line' });
        area.dataset.items = items;
        return area;
      }
      // arrays of booleans, objects or arrays: written as JSON
      const area = el('textarea', { ...common, rows: 3, spellcheck: false, placeholder: 'a JSON array' });
      area.dataset.type = 'json';
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

const INTEGER = /^[-+]?\d+$/;

/** One value typed for an integer or number; throws a FieldError if it is not one. */
function scalar(name, type, raw, what = 'must be') {
  if (type === 'integer') {
    if (!INTEGER.test(raw)) throw new FieldError(name, `${what} a whole number`);
    return new Digits(raw.replace(/^\+/, ''));
  }
  if (type === 'number') {
    const n = Number(raw);
    if (raw === '' || !Number.isFinite(n)) throw new FieldError(name, `${what} a number`);
    return n;
  }
  return raw;
}

/** The JSON text of the parameters the fields hold; throws a FieldError naming a field that cannot be read. */
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
    if (type === 'tristate') {
      parameters[name] = raw === 'true';
    } else if (type === 'integer' || type === 'number') {
      parameters[name] = scalar(name, type, raw);
    } else if (type === 'array') {
      const lines = raw.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const items = control.dataset.items;
      parameters[name] = lines.map((line, i) => scalar(name, items, line, `item ${i + 1} must be`));
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
  return toJson(parameters);
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
