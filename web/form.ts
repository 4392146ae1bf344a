/**
 * A posted form and its fields: parsed once (a name sent more than once, like checkboxes, keeps
 * every value), read one value or all of them, and the labelled field every form is built of.
 */
import { html, type Html } from './html';

/** A form's fields, or a page's query parameters: one value, several, or none. */
export type FormFields = Record<string, string | string[] | undefined>;

/** An `application/x-www-form-urlencoded` body. */
export function parseFormFields(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const earlier = fields[name];
    fields[name] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return fields;
}

/** A field's first value, trimmed; '' when absent. */
export function formText(form: FormFields, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Every value of a field. */
export function formValues(form: FormFields, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Query parameters one value each: a parameter sent twice (?q=a&q=b) counts by its first. */
export function firstValues(query: FormFields): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
}

/** A labelled control, with a hint below it when given (the control names `${id}-hint` in aria-describedby). */
export function field(id: string, labelText: string, control: Html, hint?: string): Html {
  return html`<div class="field"><label for="${id}">${labelText}</label>${control}${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}</div>`;
}

/** A labelled drop-down of [value, text] options. */
export function selectField(id: string, name: string, labelText: string, options: [string, string][], selected: string | undefined): Html {
  return html`<div class="field"><label for="${id}">${labelText}</label><select id="${id}" name="${name}">
    ${options.map(([value, text]) => html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${text}</option>`)}
  </select></div>`;
}

/** A labelled date input. */
export function dateField(id: string, name: string, labelText: string, value: string | undefined): Html {
  return html`<div class="field"><label for="${id}">${labelText}</label><input id="${id}" name="${name}" type="date" value="${value ?? ''}"></div>`;
}
