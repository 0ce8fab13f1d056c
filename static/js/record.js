// The record page: the print button (the browser's print dialog also saves the page as a PDF).
const button = document.querySelector("#print-record");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
