// Soft hyphens in the projector's long words, where the server's dictionaries (pyphen, Swedish and
// English) say they may break: "förvalt-ningarna" at a line's end, never "förvaltningarn-a".
// Only on the screen: the texts themselves are stored and sent without them.
import { lang } from "./i18n.js";

const LONG = 7; // shorter words always fit a line
const WORD = /[\p{L}\p{M}]{7,}/gu;
const MOST_AT_ONCE = 500;
const known = new Map(); // word -> word with soft hyphens
const asked = new Set();

/** The long words of `texts` not yet known. */
function unknown(texts) {
  const words = new Set();
  for (const text of texts) {
    for (const [word] of (text || "").matchAll(WORD)) if (!known.has(word) && !asked.has(word)) words.add(word);
  }
  return [...words];
}

/** Ask the server where the long words of `texts` break; resolves once known (or it could not say). */
export async function learn(realtime, texts) {
  const words = unknown(texts);
  for (let at = 0; at < words.length; at += MOST_AT_ONCE) {
    const batch = words.slice(at, at + MOST_AT_ONCE);
    for (const word of batch) asked.add(word);
    const answer = await realtime.call("hyphenate", { words: batch, language: lang === "en" ? "en" : "sv" }, 3000);
    for (const word of batch) asked.delete(word);
    if (!answer.ok) return; // asked again at the next drawing
    for (const [word, hyphenated] of Object.entries(answer.words)) known.set(word, hyphenated);
  }
}

/** `text` with soft hyphens in the words whose breaks are known. */
export function hyphenate(text) {
  if (!text || text.length < LONG) return text;
  return text.replace(WORD, (word) => known.get(word) ?? word);
}
