// Lists larger than their place on the projector, shown a page at a time: the type never shrinks.
// A list in columns (CSS multi-column, overflowing to the right) has as its page the columns that
// fit; a list in rows, the rows that fit. Pages turn every PAGE_SECONDS; "2/3" shows where it is.
import { t } from "./i18n.js";

export const PAGE_SECONDS = 8;

function inColumns(list) {
  const style = getComputedStyle(list);
  return style.columnWidth !== "auto" || style.columnCount !== "auto";
}

/** Each child's page, from where the browser laid it out with every child shown. */
function pagesOf(list, children) {
  const box = list.getBoundingClientRect();
  if (inColumns(list)) {
    const pitch = list.clientWidth + (parseFloat(getComputedStyle(list).columnGap) || 0);
    return children.map((child) => Math.max(0, Math.floor((child.getBoundingClientRect().left - box.left + 1) / pitch)));
  }
  let page = 0;
  let top = null;
  return children.map((child) => {
    const rect = child.getBoundingClientRect();
    if (top === null) top = rect.top;
    if (rect.bottom - top > list.clientHeight + 1 && rect.top > top) {
      page += 1;
      top = rect.top;
    }
    return page;
  });
}

function indicator(list) {
  return list.id ? document.querySelector(`[data-page-of="${list.id}"]`) : null;
}

/** Show page `page` of a list already laid out by `paginate`. */
export function showPage(list, page) {
  const count = Number(list.dataset.pages || 1);
  const current = ((page % count) + count) % count;
  list.dataset.current = String(current);
  // Another page's children are taken out: this page's then start at the first column (or row), laid
  // out as they were measured, since each page began at the top of a column (or at a row).
  for (const child of list.children) child.classList.toggle("off-page", Number(child.dataset.page) !== current);
  const label = indicator(list);
  if (label) {
    label.hidden = count < 2;
    label.textContent = `${current + 1}/${count}`;
    label.setAttribute("aria-label", t("page_of", { n: current + 1, of: count }));
  }
}

/** Lay `list` out in pages (after its children changed or the screen was resized), staying on its page. */
export function paginate(list) {
  const children = [...list.children];
  list.classList.remove("balanced");
  for (const child of children) child.classList.remove("off-page");
  if (list.offsetParent === null || !children.length) {
    list.dataset.pages = "1";
    showPage(list, 0);
    return 1;
  }
  const pages = pagesOf(list, children);
  children.forEach((child, at) => { child.dataset.page = String(pages[at]); });
  const count = Math.max(...pages) + 1;
  list.dataset.pages = String(count);
  list.classList.toggle("balanced", count === 1); // one page: its columns evenly filled
  showPage(list, Math.min(Number(list.dataset.current || 0), count - 1));
  return count;
}

/** Turn every list shown in pages to its next page. */
export function turnPages(root = document) {
  for (const list of root.querySelectorAll(".paged[data-pages]")) {
    if (Number(list.dataset.pages) > 1 && list.offsetParent !== null) showPage(list, Number(list.dataset.current || 0) + 1);
  }
}
