/** One endpoint polled on an interval (like blackbox_exporter's prober), as runner.ts polls it. */
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
  update(answer: Answer, nowMs: number): Record<string, unknown>;
  /** Drops its per-account series when no poll succeeded within the staleness window. */
  readonly drop?: () => void;
}
