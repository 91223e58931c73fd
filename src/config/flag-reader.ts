import type { AnswerLimits } from "../sources/common/limits.js";
import type { FlagSpec } from "./flag-table.js";

/** One flag of the exporter, also read from MINIMAX_EXPORTER_<NAME> unless env is false. */
export interface ExporterFlag extends FlagSpec {
  default: string;
  /** False for flags that only make sense on the command line. */
  env?: false;
}

/** What every source module's settings start from: the common flags, already checked. */
export interface CommonSettings {
  pollIntervalMs: number;
  pollTimeoutMs: number;
  staleAfterMs: number;
  limits: AnswerLimits;
}

/** How a source module reads its own flags (see config.ts for the order of flag, variable, default). */
export interface FlagReader {
  /** [how errors name it: the flag, or its variable when the value came from there; the text]. */
  value(name: string): [string, string];
  /** Given as a flag or a variable, rather than left at its default. */
  isSet(name: string): boolean;
  readonly common: CommonSettings;
}
