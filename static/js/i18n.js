// The page's translated strings, rendered by the server as JSON into #messages.
const node = document.getElementById("messages");
const messages = node ? JSON.parse(node.textContent) : {};

/** The translation of `key` with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const one = vars.n === 1 ? messages[`${key}_one`] : undefined;
  const text = one ?? messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A refusal from the server in words a person can read. */
export function errorText(error) {
  const code = error && error.code;
  return messages[`error_${code}`] ?? (error && error.message) ?? t("error_internal");
}

export const lang = document.documentElement.lang || "sv";
