import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorEndpoint } from "./modes.js";

export interface SimulatorStats {
  /** Every HTTP request, control requests included. */
  requests: number;
  /** Requests for the jobs path, any method or token. */
  jobsRequests: number;
  /** Jobs requests not yet answered (or abandoned), and the most there have been at once. */
  inFlight: number;
  maxInFlight: number;
  /** Requests for the accounts list or one account, any method or token. */
  accountsRequests: number;
  /** Requests for scheduler/available (or scheduler/), any method or token. */
  schedulerRequests: number;
  /** Requests for one job (agent/{jobId}), any method or token. */
  jobLookups: number;
  /** Requests for one account's credits (features/?account=), any method or token. */
  creditsRequests: number;
  /** Requests for the subscription (GET /v2/account), any method or token. */
  subscriptionRequests: number;
  /** Requests for the recorded requests (GET /v2/account/stats), any method or token. */
  usageRequests: number;
  /** Job lookups not yet answered (or abandoned), and the most there have been at once. */
  jobLookupsInFlight: number;
  maxJobLookupsInFlight: number;
  /** Headers of the last jobs-list request. */
  lastAuthorization: string | undefined;
  lastUserAgent: string | undefined;
  lastAccept: string | undefined;
}

export function createStats(): SimulatorStats {
  return {
    requests: 0,
    jobsRequests: 0,
    inFlight: 0,
    maxInFlight: 0,
    accountsRequests: 0,
    schedulerRequests: 0,
    jobLookups: 0,
    creditsRequests: 0,
    subscriptionRequests: 0,
    usageRequests: 0,
    jobLookupsInFlight: 0,
    maxJobLookupsInFlight: 0,
    lastAuthorization: undefined,
    lastUserAgent: undefined,
    lastAccept: undefined,
  };
}

/** Counts a request to an upstream endpoint; jobs and job lookups also while they are open. */
export function countRequest(
  stats: SimulatorStats,
  endpoint: SimulatorEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  switch (endpoint) {
    case "jobs":
      stats.jobsRequests++;
      holdOpen(stats, res, "inFlight", "maxInFlight");
      stats.lastAuthorization = req.headers.authorization;
      stats.lastUserAgent = req.headers["user-agent"];
      stats.lastAccept = req.headers.accept;
      return;
    case "accounts":
      stats.accountsRequests++;
      return;
    case "scheduler":
      stats.schedulerRequests++;
      return;
    case "credits":
      stats.creditsRequests++;
      return;
    case "subscription":
      stats.subscriptionRequests++;
      return;
    case "usage":
      stats.usageRequests++;
      return;
    case "job":
      stats.jobLookups++;
      holdOpen(stats, res, "jobLookupsInFlight", "maxJobLookupsInFlight");
      return;
  }
}

/** Counts `res` in `open` until it closes, and the most there have been in `most`. */
function holdOpen(
  stats: SimulatorStats,
  res: ServerResponse,
  open: "inFlight" | "jobLookupsInFlight",
  most: "maxInFlight" | "maxJobLookupsInFlight",
): void {
  stats[open]++;
  stats[most] = Math.max(stats[most], stats[open]);
  res.once("close", () => {
    stats[open]--;
  });
}

/** The stats as GET /__simulator/stats serves them: whether the token matched, not the token. */
export function statsOverHttp(
  stats: SimulatorStats,
  expectedAuthorization: string,
): Omit<SimulatorStats, "lastAuthorization"> & { lastAuthorizationValid: boolean | null } {
  const { lastAuthorization, ...rest } = stats;
  const lastAuthorizationValid =
    lastAuthorization === undefined ? null : lastAuthorization === expectedAuthorization;
  return { ...rest, lastAuthorizationValid };
}
