import { type Scalar, isScalar, parseDocument } from 'yaml';

/** One in-place replacement of a scalar's text. */
export interface ScalarEdit {
  start: number;
  end: number;
  text: string;
}

/** The text of a scalar as written, so `1.10` stays `1.10` and is not read as a number. */
export function scalarText(content: string, node: Scalar): string {
  if (node.type === 'PLAIN' && node.range) {
    return content.slice(node.range[0], node.range[1]).trim();
  }
  return String(node.value);
}

// `1.10` or `true` written plain would read back as a number or a boolean: quote those.
function staysPlainString(value: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(value)) return false;
  const parsed = parseDocument(value).contents;
  return isScalar(parsed) && parsed.value === value;
}

/** Replaces a scalar's text in place, keeping its quoting, so the rest stays byte for byte. */
export function scalarEdit(node: Scalar, value: string): ScalarEdit {
  const [start, end] = node.range!;
  let text: string;
  if (node.type === 'QUOTE_SINGLE') {
    text = `'${value.replace(/'/g, "''")}'`;
  } else if (node.type === 'PLAIN' && staysPlainString(value)) {
    text = value;
  } else {
    text = JSON.stringify(value);
  }
  return { start, end, text };
}

export function applyEdits(content: string, edits: ScalarEdit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce(
      (text, edit) =>
        text.slice(0, edit.start) + edit.text + text.slice(edit.end),
      content,
    );
}
