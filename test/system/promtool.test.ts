import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveBinary } from "../binaries.js";
import { scrape, startStack, type Stack } from "../harness.js";

const HAVE_PROMTOOL = haveBinary("promtool", "prometheus");

/** Keeps the families named useapi_minimax_*: prom-client's own default metrics are not ours to lint. */
function ownFamilies(text: string): string {
  return text
    .split("\n")
    .filter((line) => {
      const name = line.startsWith("#") ? line.split(" ")[2] : line;
      return name?.startsWith("useapi_minimax_") ?? false;
    })
    .join("\n")
    .concat("\n");
}

function checkMetrics(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile("promtool", ["check", "metrics"], (error, stdout, stderr) => {
      resolve({
        code: error ? ((error as { code?: number }).code ?? 1) : 0,
        output: stdout + stderr,
      });
    });
    child.stdin?.end(text);
  });
}

describe.runIf(HAVE_PROMTOOL)("promtool check metrics", () => {
  let stack: Stack;
  beforeAll(async () => {
    const payload: unknown = JSON.parse(
      readFileSync(new URL("../fixtures/anomalies-payload.json", import.meta.url), "utf8"),
    );
    stack = await startStack({ before: (sim) => sim.setPayload(payload) });
    await stack.exporter.runner("jobs").pollOnce();
  });
  afterAll(async () => {
    await stack.close();
  });

  it("finds no problem in the exporter's own metrics", async () => {
    const text = ownFamilies(await scrape(stack));
    expect(text).toContain("useapi_minimax_agent_jobs_executing{");
    expect(await checkMetrics(text)).toEqual({ code: 0, output: "" });
  });

  it("finds no problem in the whole /metrics output, prom-client's default metrics included", async () => {
    const whole = await startStack({
      flags: ["--accounts.interval=1h", "--jobs.resolve-status=true"],
    });
    try {
      await whole.exporter.runner("jobs").pollOnce();
      await whole.exporter.runner("accounts").pollOnce();
      const text = await scrape(whole);
      expect(text).toContain("process_cpu_seconds_total");
      expect(text).toContain("nodejs_active_handles{");
      expect(text).toContain("useapi_minimax_account_info{");
      expect(await checkMetrics(text)).toEqual({ code: 0, output: "" });
    } finally {
      await whole.close();
    }
  });

  it("does report a problem in a deliberately bad exposition, so the check can fail", async () => {
    const bad =
      "# HELP bad_total A gauge named like a counter.\n# TYPE bad_total gauge\nbad_total 1\n";
    const result = await checkMetrics(bad);
    expect(result.output).toContain("bad_total");
  });
});
