/**
 * One upstream endpoint polled on an interval (blackbox_exporter's prober): where it is, how often,
 * how its answer is checked and taken. The poll loop, backoff, health and staleness are the
 * runner's (runner.ts), written once for every source; a module hands its source to
 * SourceContext.poll.
 */
export interface Source<Answer> {
  /** The `source` label of its health families. */
  readonly name: string;
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
