/**
 * A resolved value for a message: `{{Logical.Attr}}` tokens become "Logical (Attr)", so that a
 * reader finds the resource in the template.
 */
export function describeValue(value: string): string {
  const only = /^\{\{([^.}]+)(?:\.([^}]+))?\}\}$/.exec(value);
  if (only) return only[2] ? `${only[1]}.${only[2]}` : only[1];
  return value.replace(/\{\{([^}]+)\}\}/g, '<$1>');
}
