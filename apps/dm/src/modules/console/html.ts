/** Markup that is already safe to emit as is (built by `html` or explicitly trusted). */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ESCAPES[character] ?? character);
}

/** Anything a template may interpolate: safe markup, text, numbers, lists of them, or nothing. */
export type HtmlValue =
  SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) {
    return value.value;
  }
  if (Array.isArray(value)) {
    return (value as readonly HtmlValue[]).map(render).join('');
  }
  if (value === null || value === undefined || value === false || value === true) {
    return '';
  }
  return escapeHtml(String(value));
}

/** A template tag that escapes every interpolated value unless it is already `SafeHtml`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusts markup built elsewhere (the SVG renderer escapes its own text). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
