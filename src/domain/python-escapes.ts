/** The one-character escapes of Python string literals (`\n`, `\t`, `\\`, …) and what they stand for. */
export const PYTHON_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
