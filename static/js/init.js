// Start GOV.UK Frontend components (kept out of the page so the CSP needs no inline script).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
