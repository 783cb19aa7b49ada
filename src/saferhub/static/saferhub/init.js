// Loaded as a module from base.html; a Content Security Policy forbids inline scripts.
// Browsers that run modules are those GOV.UK Frontend supports.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
