import type { Activity } from "./activity.js";
import type { SimulatedCredits } from "./credits.js";
import type { Generations } from "./generations.js";
import type { Subscription } from "./subscription.js";

/** A JSON answer, serialized. */
export interface Reply {
  status: number;
  body: Buffer;
}

/** The seeded model behind every route, as the routes read it. */
export interface Model {
  activity: Activity;
  now: () => number;
  generations: Generations;
  subscription: Subscription;
  credits: SimulatedCredits;
  /** An endpoint's body when one is fixed in place of the model's (jobs and scheduler). */
  fixedBody: (endpoint: "jobs" | "scheduler" | "usage") => Buffer | undefined;
}
