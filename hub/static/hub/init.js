// Progressive enhancement only: every page works without this. GOV.UK Frontend's page
// template marks the body `govuk-frontend-supported`, which expects components initialised.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
