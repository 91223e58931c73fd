import type { FlagSpec } from "./flag-table.js";

/** One flag of the exporter, also read from MINIMAX_EXPORTER_<NAME> unless env is false. */
export interface ExporterFlag extends FlagSpec {
  default: string;
  /** False for flags that only make sense on the command line. */
  env?: false;
}

/**
 * What one upstream answer may hold at most (--useapi.max-accounts, --useapi.max-jobs): read once
 * here and handed to every source that bounds an answer by them.
 */
export interface AnswerLimits {
  maxAccounts: number;
  maxJobs: number;
}

/**
 * The flags' defaults. A token holds 3 MiniMax accounts per subscription and an account runs at
 * most 10 jobs at once: 1,000 accounts and 10,000 jobs are far beyond any real answer.
 */
export const DEFAULT_LIMITS: AnswerLimits = { maxAccounts: 1_000, maxJobs: 10_000 };

/** What every source module's settings start from: the common flags, already checked. */
export interface CommonSettings {
  pollIntervalMs: number;
  pollTimeoutMs: number;
  staleAfterMs: number;
  maxBackoffMs: number;
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

/**
 * A part of the exporter with flags of its own (a source module): the wiring hands the parts to
 * the configuration, which reads their flags without knowing what they are.
 */
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
