import type { LabelValue } from "../../metrics/label-value.js";
import type { Outcome } from "../../upstream/outcome.js";
import type { Credits, NextExpiry } from "./answer.js";

/** One account as the last request about it left it: what is exported, of a fixed size. */
export interface AccountCredits {
  readonly account: LabelValue;
  /** Undefined until it is first asked about. */
  outcome: Outcome | undefined;
  lastSuccessMs: number | undefined;
  /** What is kept of the last good answer; undefined after a failure. */
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
  begin(accounts: readonly LabelValue[]): void;
  /** A request about `account` ended: its answer replaces the last, a failure drops its series. */
  record(account: LabelValue, outcome: Outcome, credits: Credits | undefined, atMs: number): void;
  /** The accounts of the round, in account-book order. */
  rows(): readonly AccountCredits[];
  /** The rows with a good answer within the staleness window: what the families export. */
  fresh(): readonly AccountCredits[];
  /** Changes with every begin and record, so that a page can be kept until then. */
  version(): number;
}

/** The per-account credits between requests, read by the families and the landing page. */
export function createLedger(options: LedgerOptions): Ledger {
  let accounts = new Map<LabelValue, AccountCredits>();
  let version = 0;

  const fresh = (): AccountCredits[] => {
    const oldest = options.now() - options.staleAfterMs;
    return [...accounts.values()].filter(
      (row) => row.credits !== undefined && (row.lastSuccessMs ?? -Infinity) >= oldest,
    );
  };
  /** Whether the map holds exactly these accounts, in this order. */
  const holds = (list: readonly LabelValue[]): boolean => {
    if (list.length !== accounts.size) return false;
    let i = 0;
    for (const account of accounts.keys()) if (account !== list[i++]) return false;
    return true;
  };
  return {
    begin(list) {
      // The same accounts as the last round (the usual case) keep their map as it is.
      if (!holds(list)) {
        const next = new Map<LabelValue, AccountCredits>();
        for (const account of list) next.set(account, accounts.get(account) ?? emptyRow(account));
        accounts = next;
      }
      version++;
    },
    record(account, outcome, credits, atMs) {
      const row = accounts.get(account) ?? emptyRow(account);
      accounts.set(account, row);
      row.outcome = outcome;
      row.credits = credits;
      row.next = credits?.batches?.next;
      if (outcome === "success") row.lastSuccessMs = atMs;
      version++;
    },
    rows: () => [...accounts.values()],
    version: () => version,
    fresh,
  };
}

function emptyRow(account: LabelValue): AccountCredits {
  return {
    account,
    outcome: undefined,
    lastSuccessMs: undefined,
    credits: undefined,
    next: undefined,
  };
}
