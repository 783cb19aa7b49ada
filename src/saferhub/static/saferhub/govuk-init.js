// Starts the GOV.UK Frontend components. A file rather than an inline script, so that a
// Content Security Policy can forbid inline scripts.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
