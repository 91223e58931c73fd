import type { FlagSpec } from "./flag-table.js";

/** One flag of the exporter, also read from MINIMAX_EXPORTER_<NAME> unless env is false. */
export interface ExporterFlag extends FlagSpec {
  default: string;
  /** False for flags that only make sense on the command line. */
  env?: false;
}

/** What one upstream answer may hold at most (--useapi.max-accounts, --useapi.max-jobs). */
export interface AnswerLimits {
  maxAccounts: number;
  maxJobs: number;
}

/** Far beyond real answers: a token has 3 accounts a subscription, an account 10 jobs at once. */
export const DEFAULT_LIMITS: AnswerLimits = { maxAccounts: 1_000, maxJobs: 10_000 };

/** What every source module's settings start from: the common flags, already checked. */
export interface CommonSettings {
  pollIntervalMs: number;
  pollTimeoutMs: number;
  staleAfterMs: number;
  maxBackoffMs: number;
  limits: AnswerLimits;
}

/** How a source module reads its own flags (config.ts has the order: flag, variable, default). */
export interface FlagReader {
  /** [how errors name it: the flag, or its variable when the value came from there; the text]. */
  value(name: string): [string, string];
  /** Given as a flag or a variable, rather than left at its default. */
  isSet(name: string): boolean;
  readonly common: CommonSettings;
}

/** A part with flags of its own (a source module), handed to the configuration by the wiring. */
export interface FlagOwner<Plan extends object = object> {
  readonly name: string;
  /** Its own flags, in --help order. */
  readonly flags: readonly ExporterFlag[];
  /** Reads its flags (throwing a ConfigError that names one); undefined when turned off. */
  configure(read: FlagReader): Plan | undefined;
}

/** A part turned on by its flags: what its `configure` returned, and the part. */
export type Enabled<M extends FlagOwner> = NonNullable<ReturnType<M["configure"]>> & {
  readonly module: M;
};
