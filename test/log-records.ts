/** One JSON log line: pino's `level` (its name) and `msg`, and the fields the call logged. */
export interface LogRecord {
  level: string;
  msg: string;
  source?: string;
  outcome?: string;
  detail?: string;
  [key: string]: unknown;
}

/**
 * The JSON records among `output`: log lines one each, or a child's output in chunks. A line that
 * is not JSON (a plain stderr line) is skipped. Tests pick records by these fields; the wording of
 * `msg` is asserted in test/integration/log-lines.test.ts only.
 */
export function logRecords(output: readonly string[] | string): LogRecord[] {
  const lines = typeof output === "string" ? output.split("\n") : output.join("\n").split("\n");
  // A child's output may stop mid-line: what follows its last newline is not a record yet.
  if (typeof output === "string") lines.pop();
  return lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as LogRecord);
}

/** The line logged when a source's polls change outcome: warn on a failure, info on success. */
export function outcomeChanges(records: readonly LogRecord[], source = "jobs"): LogRecord[] {
  return records.filter(
    (r) => r.source === source && r.outcome !== undefined && r.level !== "debug",
  );
}
