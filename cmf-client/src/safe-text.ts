/**
 * Text from CMF or from a file, made safe to show: on a terminal (the CLI) and in VS Code (notifications, the
 * explorer's labels and tooltips, the log). Such text can carry what rewrites what the user sees: ANSI escape
 * sequences (ESC, and the 8-bit CSI U+009B), carriage returns and other control characters, bidirectional controls
 * (U+202E turns "evil.json" around), line and paragraph separators, and invisible characters that hide or split
 * words. Each is replaced by a visible escape: `\r`, `\n`, `\t`, or `\uXXXX` (valid inside JSON and YAML
 * double-quoted strings, so JSON and YAML output stays what it says).
 *
 * `multiline` keeps line feeds and tabs, for text this project composed (a table, a diff, a message with a second
 * line) that is escaped as a whole before it is written; a single value from outside is escaped without it.
 */

/** C0 and C1 controls and DEL (the multiline form spares line feed and tab), bidi controls, separators, invisible characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]/g;
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` with every control, bidi and invisible character replaced by a visible escape (see the module comment). */
export function terminalSafe(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE_MULTILINE : UNSAFE, escape);
}

/** Would `terminalSafe` change `text` (line feeds and tabs aside)? */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE_MULTILINE.lastIndex = 0;
  return UNSAFE_MULTILINE.test(text);
}
