import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { Gauge, Registry } from "prom-client";
import { RENDERING_FAILURES } from "../../src/metrics/families.js";
import {
  JOB_DURATION,
  JOB_MAX_ELAPSED,
  JOBS_EXECUTING,
  JOBS_FAMILIES,
} from "../../src/sources/jobs/families.js";
import { createMappedSink } from "../../src/metrics/mapped-sink.js";
import { createExposition } from "../../src/metrics/rendering.js";
import { SOURCE_MODULES } from "../../src/sources/index.js";
import { ownSamples, scrape, startStack, type Stack } from "../harness.js";

/** The bytes of `chunks` written to a mapped sink, one write each. */
function sunk(chunks: readonly string[], expectedBytes?: number): Buffer {
  const out = createMappedSink(expectedBytes);
  for (const chunk of chunks) out.write(chunk);
  return out.finish();
}

describe("createMappedSink", () => {
  it("writes the bytes Buffer.from writes of the whole text, for any text in any writes", () => {
    const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
    fc.assert(
      fc.property(fc.array(text), fc.nat(100_000), (chunks, expected) => {
        expect(sunk(chunks, expected).equals(Buffer.from(chunks.join(""), "utf8"))).toBe(true);
      }),
    );
    for (const s of ["", "\uD800", "a\uDC00b", "😀".repeat(40_000), "é€".repeat(70_000)]) {
      expect(sunk([s]).equals(Buffer.from(s, "utf8"))).toBe(true);
      // Pairs split across writes, past the batch size and past the first reservation.
      const pieces = [...s.matchAll(/[\s\S]{1,7}/g)].map((m) => m[0]);
      expect(sunk(pieces, 10).equals(Buffer.from(s, "utf8"))).toBe(true);
    }
  });

  it("keeps the bytes in a resizable ArrayBuffer (mapped by V8, not malloc) of their own size", () => {
    const text = "metric_a 1\n".repeat(10_000) + "€";
    for (const expected of [0, 50, 1 << 20]) {
      const bytes = sunk(
        [...text.matchAll(/[\s\S]{1,100}/g)].map((m) => m[0]),
        expected,
      );
      const backing = bytes.buffer as ArrayBuffer;
      expect(backing.resizable).toBe(true);
      expect(backing.byteLength).toBe(Buffer.byteLength(text));
      expect(bytes.byteOffset).toBe(0);
    }
  });
});

describe("createExposition", () => {
  it("reports a failed rendering to its caller and still runs the next one", async () => {
    const registry = new Registry();
    let fail = true;
    new Gauge({
      name: "flaky",
      help: "fails once",
      registers: [registry],
      collect() {
        if (fail) throw new Error("collect failed");
        this.set(7);
      },
    });
    const exposition = createExposition(registry);
    await expect(exposition.refresh()).rejects.toThrow("collect failed");
    fail = false;
    await exposition.refresh();
    expect(exposition.body().toString()).toContain("flaky 7");
  });

  it("shares one rendering among the refreshes of one event-loop turn, and starts another for later data", async () => {
    const registry = new Registry();
    let collected = 0;
    let gate: Promise<void> = Promise.resolve();
    let started: (value?: unknown) => void = () => undefined;
    new Gauge({
      name: "renderings_seen",
      help: "counts collections",
      registers: [registry],
      async collect() {
        collected++;
        started();
        await gate;
        this.set(collected);
      },
    });
    let executing = 1;
    const exposition = createExposition(registry, [
      {
        meta: JOBS_EXECUTING,
        write: (out) => out.write(`${JOBS_EXECUTING.name}{account="a"} ${executing}\n`),
      },
    ]);
    // Three sources end their polls in the same turn: one rendering for the three.
    const ends = [exposition.refresh(), exposition.refresh(), exposition.refresh()];
    await Promise.all(ends);
    expect(collected).toBe(1);
    expect(new Set(ends).size).toBe(1);
    expect(exposition.body().toString()).toContain(`${JOBS_EXECUTING.name}{account="a"} 1\n`);

    // A poll that ends while a rendering is under way gets one of its own, after it, with its data.
    let open: (value?: unknown) => void = () => undefined;
    gate = new Promise<void>((resolve) => (open = () => resolve()));
    const collecting = new Promise((resolve) => (started = resolve));
    const first = exposition.refresh();
    await collecting;
    expect(collected).toBe(2); // started, waiting on the gate
    executing = 7;
    const second = exposition.refresh();
    const third = exposition.refresh();
    expect(second).not.toBe(first);
    expect(third).toBe(second);
    open();
    await Promise.all([first, second]);
    expect(collected).toBe(3);
    expect(exposition.body().toString()).toContain(`${JOBS_EXECUTING.name}{account="a"} 7\n`);
    expect(exposition.body().toString()).toContain("renderings_seen 3\n");
  });

  it("writes the hand-written families in the order given, ahead of prom-client's", async () => {
    const registry = new Registry();
    new Gauge({ name: "registered", help: "prom-client's", registers: [registry] }).set(1);
    const exposition = createExposition(registry, [
      {
        meta: JOBS_EXECUTING,
        write: (out) => out.write(`${JOBS_EXECUTING.name}{account="a"} 2\n`),
      },
      { meta: JOB_DURATION, write: () => undefined },
    ]);
    await exposition.refresh();
    const names = [
      ...exposition
        .body()
        .toString()
        .matchAll(/^# TYPE (\S+)/gm),
    ].map((m) => m[1]);
    expect(names).toEqual([
      JOBS_EXECUTING.name,
      JOB_DURATION.name,
      "registered",
      RENDERING_FAILURES.name,
    ]);
    expect(exposition.body().toString()).toContain(`${JOBS_EXECUTING.name}{account="a"} 2\n`);
  });

  it("refuses at startup a hand-written family that prom-client's registry also has", () => {
    const registry = new Registry();
    new Gauge({ name: JOB_MAX_ELAPSED.name, help: "a second writer", registers: [registry] });
    const exposition = createExposition(registry, [
      { meta: JOB_MAX_ELAPSED, write: () => undefined },
    ]);
    expect(() => exposition.verify()).toThrow(
      `metric family ${JOB_MAX_ELAPSED.name} is both hand-written and prom-client's`,
    );
    expect(() => createExposition(new Registry()).verify()).not.toThrow();
  });

  it("names no hand-written family twice across the source modules", () => {
    const names = SOURCE_MODULES.flatMap((module) => module.families.map((family) => family.name));
    expect(names).toEqual(expect.arrayContaining(JOBS_FAMILIES.map((family) => family.name)));
    expect(new Set(names).size).toBe(names.length);
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
    expect(values.get('useapi_minimax_payload_anomalies_total{kind="unparsable_elapsed"}')).toBe(0);
  });
});
