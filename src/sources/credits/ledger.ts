import type { TextSink } from "../../metrics/mapped-sink.js";
import type { FamilyWriters } from "../../metrics/rendering.js";
import { escapeLabel, perAccountSamples } from "../../metrics/text-format.js";
import type { Outcome } from "../../upstream/outcome.js";
import { nextExpiry, type Credits, type NextExpiry } from "./answer.js";
import {
  CREDITS,
  EXPIRING_NEXT,
  NEXT_EXPIRY,
  PLAN_INFO,
  QUEUE_LIMIT,
  VIDEO_COST,
} from "./families.js";

/** One account as the last request about it left it. */
export interface AccountCredits {
  readonly account: string;
  /** Undefined until it is first asked about. */
  outcome: Outcome | undefined;
  lastSuccessMs: number | undefined;
  /** The last good answer; undefined after a failure. */
  credits: Credits | undefined;
  next: NextExpiry | undefined;
}

export interface LedgerOptions {
  /** An account's series go when no request about it succeeded for this long. */
  staleAfterMs: number;
  now: () => number;
}

export interface Ledger {
  /** A round begins with these accounts: the others' series go. */
  begin(accounts: readonly string[]): void;
  /** A request about `account` ended: its answer replaces the last, a failure drops its series. */
  record(account: string, outcome: Outcome, credits: Credits | undefined, atMs: number): void;
  /** The accounts of the round, in account-book order. */
  rows(): readonly AccountCredits[];
  /** Changes with every begin and record, so that a page can be kept until then. */
  version(): number;
  readonly writers: FamilyWriters;
}

/** The per-account credits between requests, and the hand-written families read from them. */
export function createLedger(options: LedgerOptions): Ledger {
  let accounts = new Map<string, AccountCredits>();
  let version = 0;

  // The fresh rows as last read, and what keeps them so: every family of a rendering reads the
  // same rows, read once while no record or round changed them and no row crossed the window.
  let freshRows: AccountCredits[] = [];
  let freshVersion = -1;
  /** The oldest last success among the fresh rows, the newest among the stale ones. */
  let oldestFresh = -Infinity;
  let newestStale = Infinity;

  /** The rows with a good answer within the staleness window. */
  const fresh = (): AccountCredits[] => {
    const oldest = options.now() - options.staleAfterMs;
    // A row is fresh when its last success is at least `oldest`: the rows read before are still
    // the fresh ones as long as the oldest of them still is and the newest stale one still is not.
    if (freshVersion === version && oldestFresh >= oldest && !(newestStale >= oldest)) {
      return freshRows;
    }
    const out: AccountCredits[] = [];
    oldestFresh = Infinity;
    newestStale = -Infinity;
    for (const row of accounts.values()) {
      if (row.credits === undefined) continue;
      const last = row.lastSuccessMs ?? -Infinity;
      if (last >= oldest) {
        out.push(row);
        if (last < oldestFresh) oldestFresh = last;
      } else if (last > newestStale) {
        newestStale = last;
      }
    }
    freshRows = out;
    freshVersion = version;
    return out;
  };
  /** Whether the map holds exactly these accounts, in this order. */
  const holds = (list: readonly string[]): boolean => {
    if (list.length !== accounts.size) return false;
    let i = 0;
    for (const account of accounts.keys()) if (account !== list[i++]) return false;
    return true;
  };
  const gauge =
    (name: string, value: (row: AccountCredits) => number | undefined) => (out: TextSink) =>
      perAccountSamples(out, name, fresh(), value);

  return {
    begin(list) {
      // The same accounts as the last round (the usual case) keep their map as it is.
      if (!holds(list)) {
        const next = new Map<string, AccountCredits>();
        for (const account of list) {
          next.set(account, accounts.get(account) ?? emptyRow(account));
        }
        accounts = next;
      }
      version++;
    },
    record(account, outcome, credits, atMs) {
      let row = accounts.get(account);
      if (row === undefined) {
        row = emptyRow(account);
        accounts.set(account, row);
      }
      row.outcome = outcome;
      row.credits = credits;
      row.next = credits?.batches === undefined ? undefined : nextExpiry(credits.batches);
      if (outcome === "success") row.lastSuccessMs = atMs;
      version++;
    },
    rows: () => [...accounts.values()],
    version: () => version,
    writers: {
      [CREDITS.name]: gauge(CREDITS.name, (r) => r.credits?.totalCredits),
      [NEXT_EXPIRY.name]: gauge(NEXT_EXPIRY.name, (r) =>
        r.next === undefined ? undefined : r.next.atMs / 1000,
      ),
      [EXPIRING_NEXT.name]: gauge(EXPIRING_NEXT.name, (r) =>
        r.credits?.batches === undefined ? undefined : (r.next?.credits ?? 0),
      ),
      [PLAN_INFO.name]: (out) => {
        for (const row of fresh()) {
          const plan = row.credits?.plan;
          if (plan === undefined) continue;
          out.write(
            `${PLAN_INFO.name}{account="${escapeLabel(row.account)}",plan="${escapeLabel(plan)}"} 1\n`,
          );
        }
      },
      [VIDEO_COST.name]: gauge(VIDEO_COST.name, (r) => r.credits?.videoCost),
      [QUEUE_LIMIT.name]: (out) => {
        for (const row of fresh()) {
          const account = escapeLabel(row.account);
          const video = row.credits?.queueLength;
          const image = row.credits?.imageQueueLength;
          if (video !== undefined)
            out.write(`${QUEUE_LIMIT.name}{account="${account}",type="video"} ${video}\n`);
          if (image !== undefined)
            out.write(`${QUEUE_LIMIT.name}{account="${account}",type="image"} ${image}\n`);
        }
      },
    },
  };
}

function emptyRow(account: string): AccountCredits {
  return {
    account,
    outcome: undefined,
    lastSuccessMs: undefined,
    credits: undefined,
    next: undefined,
  };
}
