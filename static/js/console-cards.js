// The console's note cards: near-identical notes in one place are one card ("×7"), then filtered and sorted.
import { QUADRANTS } from "./state.js";

/** Roots of the notes linked by the server's `similar_to` (a link to a note not here counts as none). */
function similarityRoots(items) {
  const parent = new Map(items.map((item) => [item.id, item.id]));
  const root = (id) => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r);
    parent.set(id, r);
    return r;
  };
  for (const item of items) {
    if (item.similar_to == null || !parent.has(item.similar_to)) continue;
    const [a, b] = [root(item.id), root(item.similar_to)];
    if (a !== b) parent.set(Math.max(a, b), Math.min(a, b)); // the oldest note leads
  }
  return new Map(items.map((item) => [item.id, root(item.id)]));
}

/**
 * Cards of `items` (the console's notes, hidden ones too): one per group of alike notes in one place.
 * card: {key, lead, items (oldest first), quadrant, themeId, hidden (all hidden), hiddenCount, elsewhere}
 * where `elsewhere` lists the same note's other places: [{themeId, count}].
 */
export function cardsOf(items) {
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const roots = similarityRoots(sorted);
  const cards = new Map();
  const placesOf = new Map(); // root -> Map(themeId -> count)
  for (const item of sorted) {
    const root = roots.get(item.id);
    const key = `${root}@${item.theme_id ?? ""}`;
    if (!cards.has(key)) cards.set(key, { root, items: [], themeId: item.theme_id ?? null, quadrant: item.quadrant });
    cards.get(key).items.push(item);
    if (!placesOf.has(root)) placesOf.set(root, new Map());
    const places = placesOf.get(root);
    places.set(item.theme_id ?? null, (places.get(item.theme_id ?? null) || 0) + 1);
  }
  return [...cards.values()].map((card) => {
    const hiddenCount = card.items.filter((i) => i.hidden).length;
    const lead = card.items.find((i) => !i.hidden) || card.items[0];
    const elsewhere = [...placesOf.get(card.root)].filter(([themeId]) => themeId !== card.themeId)
      .map(([themeId, count]) => ({ themeId, count }));
    return { ...card, key: String(card.items[0].id), lead, hidden: hiddenCount === card.items.length, hiddenCount, elsewhere };
  });
}

/** Lower case without accents' marks, for searching: "Förvaltning" is found by "forvaltning" too. */
export const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** The cards a view shows: `quadrant` ("" all), `place` ("all", "loose", "hidden" or a theme id), `search`. */
export function shownCards(cards, { quadrant = "", place = "all", search = "" }) {
  const words = folded(search).split(/\s+/).filter(Boolean);
  return cards.filter((card) => {
    if (quadrant && card.quadrant !== quadrant) return false;
    if (place === "loose" && (card.themeId !== null || card.hidden)) return false;
    if (place === "hidden" && !card.hiddenCount) return false;
    if (!["all", "loose", "hidden"].includes(place) && card.themeId !== Number(place)) return false;
    if (!words.length) return true;
    const text = folded(card.items.map((i) => i.text).join(" "));
    return words.every((w) => text.includes(w));
  });
}

const newest = (card) => Math.max(...card.items.map((i) => i.id));
const quadrantOrder = (card) => QUADRANTS.indexOf(card.quadrant);

/** Sorted: "unthemed" (notes not in a theme first, hidden ones last; then by box, oldest first), "newest", "quadrant". */
export function sortCards(cards, order) {
  const byAge = (a, b) => a.lead.id - b.lead.id;
  const rank = (card) => (card.hidden ? 2 : card.themeId === null ? 0 : 1);
  const compare = {
    unthemed: (a, b) => rank(a) - rank(b) || quadrantOrder(a) - quadrantOrder(b) || byAge(a, b),
    newest: (a, b) => newest(b) - newest(a),
    quadrant: (a, b) => quadrantOrder(a) - quadrantOrder(b) || rank(a) - rank(b) || byAge(a, b),
  }[order] || byAge;
  return [...cards].sort(compare);
}
