/**
 * One upstream endpoint the exporter polls on an interval (node_exporter's collector,
 * blackbox_exporter's prober): where it is, how often, how its answer is checked and taken, and
 * the families it writes. The poll loop, backoff, health and staleness are the runner's
 * (runner.ts), written once for every source.
 */
export interface Source<Answer> {
  /** The `source` label of its health families. */
  readonly name: SourceName;
  /** How log lines name it, e.g. "the jobs list". */
  readonly title: string;
  readonly path: string;
  readonly intervalMs: number;
  /** The shape check of the answer at the boundary; throws PayloadError or LimitError. */
  readonly parse: (body: unknown) => Answer;
  /** Takes a checked answer received at `nowMs`; returns what its success log line shows. */
  readonly update: (answer: Answer, nowMs: number) => Record<string, unknown>;
  /** Drops its per-account series when no poll succeeded within the staleness window. */
  readonly drop?: () => void;
}

/** Every upstream endpoint the exporter reads, in the order their health is exported. */
export const SOURCE_NAMES = ["jobs", "accounts", "job_status", "scheduler"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
