import { afterEach, describe, expect, it } from "vitest";
import { registerFamily } from "../../src/metrics/family.js";
import { MetricRegistry } from "../../src/metrics/registry.js";
import { createExposition } from "../../src/metrics/rendering.js";
import { ownSamples, scrape, startStack, type Stack } from "../harness.js";

describe("createExposition", () => {
  it("reports a failed rendering to its caller and still runs the next one", async () => {
    const registry = new MetricRegistry();
    let fail = true;
    registerFamily(registry, {
      ...{ name: "flaky", help: "fails once", type: "gauge", labelNames: [] },
      samples(set) {
        if (fail) throw new Error("collect failed");
        set({}, 7);
      },
    });
    const exposition = createExposition(registry);
    await expect(exposition.refresh()).rejects.toThrow("collect failed");
    fail = false;
    await exposition.refresh();
    expect(exposition.body().toString()).toContain("flaky 7");
  });

  it("shares one rendering among the refreshes of one event-loop turn, and starts another for later data", async () => {
    const registry = new MetricRegistry();
    let collected = 0;
    registerFamily(registry, {
      ...{ name: "renderings_seen", help: "counts renderings", type: "gauge", labelNames: [] },
      samples: (set) => set({}, ++collected),
    });
    let executing = 1;
    registerFamily(registry, {
      ...{
        name: "executing",
        help: "set from the data of the poll",
        type: "gauge",
        labelNames: [],
      },
      samples: (set) => set({}, executing),
    });
    const exposition = createExposition(registry);
    // Three sources end their polls in the same turn: one rendering for the three.
    const ends = [exposition.refresh(), exposition.refresh(), exposition.refresh()];
    await Promise.all(ends);
    expect(collected).toBe(1);
    expect(new Set(ends).size).toBe(1);
    expect(exposition.body().toString()).toContain("executing 1\n");

    // A poll that ends after the rendering started gets one of its own, after it, with its data.
    const first = exposition.refresh();
    await first;
    executing = 7;
    const second = exposition.refresh();
    const third = exposition.refresh();
    expect(second).not.toBe(first);
    expect(third).toBe(second);
    await second;
    expect(collected).toBe(3);
    expect(exposition.body().toString()).toContain("executing 7\n");
    expect(exposition.body().toString()).toContain("renderings_seen 3\n");
  });

  it("renders every family of the registry in the order they were registered", async () => {
    const registry = new MetricRegistry();
    for (const [name, value] of [
      ["first", 1],
      ["second", 2],
    ] as const) {
      registerFamily(registry, {
        ...{ name, help: `registered ${name}`, type: "gauge", labelNames: [] },
        samples: (set) => set({}, value),
      });
    }
    const exposition = createExposition(registry);
    await exposition.refresh();
    const names = [
      ...exposition
        .body()
        .toString()
        .matchAll(/^# TYPE (\S+)/gm),
    ].map((m) => m[1]);
    expect(names).toEqual(["first", "second", "useapi_minimax_rendering_failures_total"]);
  });
});

describe("multi-byte text end to end", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it("reads a large answer whose characters straddle network chunks and exposes them intact", async () => {
    // About 600 kB: the body arrives in many chunks, and 4-byte characters fall across their edges.
    const accounts = Array.from({ length: 3000 }, (_, i) => `ü€😀-${i}-${"ж".repeat(i % 50)}`);
    const payload = {
      accounts,
      summary: Object.fromEntries(accounts.map((a) => [a, { executing: 1 }])),
      executing: Object.fromEntries(
        accounts.map((a, i) => [a, [{ jobId: `j-${i}-😀`, elapsed: "01:05" }]]),
      ),
    };
    stack = await startStack({
      flags: ["--useapi.max-response-bytes=4MiB", "--useapi.max-accounts=3000"],
      before: (sim) => sim.setPayload(payload),
    });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    const values = ownSamples(await scrape(stack));
    const exposed = [...values.keys()]
      .filter((k) => k.startsWith("useapi_minimax_agent_jobs_executing{"))
      .map((k) => k.slice('useapi_minimax_agent_jobs_executing{account="'.length, -2));
    expect(exposed.sort()).toEqual([...accounts].sort());
    for (const account of [accounts[0], accounts[1234], accounts[2999]]) {
      expect(values.get(`useapi_minimax_agent_jobs_executing{account="${account}"}`)).toBe(1);
      expect(values.get(`useapi_minimax_agent_job_max_elapsed_seconds{account="${account}"}`)).toBe(
        65,
      );
    }
    expect(
      values.get('useapi_minimax_payload_anomalies_total{source="jobs",kind="unparsable_elapsed"}'),
    ).toBe(0);
  });
});
