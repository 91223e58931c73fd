import { accountsModule } from "./accounts/module.js";
import { creditsModule } from "./credits/module.js";
import { jobStatusModule } from "./job-status/module.js";
import { jobsModule } from "./jobs/module.js";
import type { SourceModule } from "./module.js";
import { schedulerModule } from "./scheduler/module.js";
import { subscriptionModule } from "./subscription/module.js";
import { usageModule } from "./usage/module.js";

/**
 * Every source module, in the order of their flags in --help, their health series and their
 * families in /metrics. The first is the headline source: useapi_minimax_up reads its polls.
 */
export const SOURCE_MODULES: readonly SourceModule[] = [
  jobsModule,
  accountsModule,
  jobStatusModule,
  schedulerModule,
  creditsModule,
  subscriptionModule,
  usageModule,
];
