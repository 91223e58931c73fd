import { accountsModule } from "./accounts/module.js";
import { creditsModule } from "./credits/module.js";
import { jobStatusModule } from "./job-status/module.js";
import { jobsModule } from "./jobs/module.js";
import type { SourceModule } from "./module.js";
import { schedulerModule } from "./scheduler/module.js";
import { subscriptionModule } from "./subscription/module.js";
import { usageModule } from "./usage/module.js";

/** Every module in --help, health and /metrics order; useapi_minimax_up reads the first's polls. */
export const SOURCE_MODULES: readonly SourceModule[] = [
  jobsModule,
  accountsModule,
  jobStatusModule,
  schedulerModule,
  creditsModule,
  subscriptionModule,
  usageModule,
];
