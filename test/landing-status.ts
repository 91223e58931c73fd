import type { LandingStatus } from "../src/http/landing.js";

/** What the landing page shows before any poll: for tests of the HTTP layer alone. */
export const STUB_STATUS: LandingStatus = {
  lastOutcome: undefined,
  lastPollAtMs: undefined,
  lastSuccessAtMs: undefined,
  stale: false,
  sources: [],
  sections: [],
  demo: false,
};
