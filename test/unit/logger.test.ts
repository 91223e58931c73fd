import { describe, expect, it } from "vitest";
import { createLogger, toLogfmt } from "../../src/logging/logger.js";

describe("toLogfmt", () => {
  it.each([
    [
      "puts time, level and message first and quotes values with spaces",
      { time: "2026-01-01T00:00:00.000Z", level: "info", msg: "polls succeed", outcome: "success" },
      'ts=2026-01-01T00:00:00.000Z level=info msg="polls succeed" outcome=success\n',
    ],
    [
      "writes numbers bare and escapes quotes",
      { level: "warn", msg: 'said "no"', durationSeconds: 0.25 },
      'level=warn msg="said \\"no\\"" durationSeconds=0.25\n',
    ],
    [
      "writes nested values as quoted JSON",
      { level: "error", msg: "x", err: { code: "E" } },
      'level=error msg=x err="{\\"code\\":\\"E\\"}"\n',
    ],
  ])("%s", (_name, record, line) => {
    expect(toLogfmt(JSON.stringify(record))).toBe(line);
  });

  it("passes a line that is not JSON through unchanged", () => {
    expect(toLogfmt("not json\n")).toBe("not json\n");
  });
});

describe("createLogger", () => {
  it("writes logfmt lines when asked, and JSON with ISO times and level names by default", () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => void lines.push(line) };
    createLogger({ level: "info", format: "logfmt", destination }).info({ accounts: 2 }, "ok now");
    createLogger({ level: "info", format: "json", destination }).warn("careful");
    createLogger({ level: "warn", format: "json", destination }).info("hidden");
    expect(lines[0]).toMatch(/^ts=\d{4}-\d\d-\d\dT[\d:.]+Z level=info msg="ok now" accounts=2\n$/);
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ level: "warn", msg: "careful" });
    expect(lines).toHaveLength(2);
  });
});
