import type { LabelValue } from "../metrics/label-value.js";
import type { FinishedBatch } from "./common/finished-jobs.js";

/** Values one source module hands to others, without either importing the other. */
export interface Channel<T> {
  listen(listener: (value: T) => void): void;
  /** False when nobody listens, so that the publisher settles the value itself. */
  publish(value: T): boolean;
}

/** Accounts each source last saw: the accounts endpoint lists them; jobs and scheduler see them. */
export interface AccountBook {
  report(source: string, accounts: readonly LabelValue[], listed: boolean): void;
  /** The listed accounts when a source lists them, else every account seen, first seen first. */
  current(): readonly LabelValue[];
}

export interface Channels {
  /** Jobs that left the jobs list: the job-status lookups settle them, else they count unknown. */
  readonly finishedJobs: Channel<FinishedBatch>;
  readonly accounts: AccountBook;
}

export function createChannel<T>(): Channel<T> {
  const listeners: ((value: T) => void)[] = [];
  return {
    listen: (listener) => void listeners.push(listener),
    publish(value) {
      for (const listener of listeners) listener(value);
      return listeners.length > 0;
    },
  };
}

export function createChannels(): Channels {
  const seen = new Map<string, readonly LabelValue[]>();
  let listed: readonly LabelValue[] | undefined;
  const accounts: AccountBook = {
    report(source, accounts, isListed) {
      if (isListed) listed = accounts;
      else seen.set(source, accounts);
    },
    current() {
      if (listed !== undefined) return listed;
      const all = new Set<LabelValue>();
      for (const accounts of seen.values()) for (const account of accounts) all.add(account);
      return [...all];
    },
  };
  return { finishedJobs: createChannel(), accounts };
}
