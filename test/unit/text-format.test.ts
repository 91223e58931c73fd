import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createHistogram, observe } from "../../src/metrics/histogram.js";
import type { LabelValue } from "../../src/metrics/label-value.js";
import { ByteSink } from "../../src/metrics/byte-sink.js";
import type { Family } from "../../src/metrics/family.js";
import { writeFamilies } from "../../src/metrics/text-format.js";

function written(families: Family[]): string {
  const sink = new ByteSink(0);
  writeFamilies(families, sink);
  return sink.bytes().toString();
}

// Some the label check would refuse: the writer escapes whatever it is handed.
const ODD = ['quote " here', "back\\slash", "new\nline", "ünïcödé 😀", ""] as LabelValue[];
const BUCKETS = [0.5, 1, 2.5];

describe("writeFamilies", () => {
  it("writes what prom-client writes for the same samples: escapes, odd numbers, histograms", async () => {
    const reference = new Registry();
    const gauge = new Gauge({
      name: "g",
      help: "help with \\ and\nnewline",
      labelNames: ["a", "b"],
      registers: [reference],
    });
    const values = [0, -1.5, 1e21, 3.25e-7, NaN, Infinity, -Infinity];
    ODD.forEach((odd, i) => gauge.set({ a: odd, b: String(i) }, values[i] ?? 0));
    new Counter({ name: "c_total", help: "plain", registers: [reference] }).inc(3);
    const histogram = new Histogram({
      ...{ name: "h", help: "h", labelNames: ["a"], buckets: BUCKETS },
      registers: [reference],
    });
    const observed = [0.1, 0.5, 0.7, 3, 2.5];
    for (const v of observed) histogram.observe({ a: ODD[0] ?? "" }, v);
    const ours = createHistogram(BUCKETS);
    for (const v of observed) observe(ours, BUCKETS, v);

    const text = written([
      {
        ...{ name: "g", help: "help with \\ and\nnewline", labelNames: ["a", "b"] },
        type: "gauge",
        samples: (set) =>
          ODD.forEach((odd, i) => set({ a: odd, b: String(i) as LabelValue }, values[i] ?? 0)),
      },
      {
        name: "c_total",
        help: "plain",
        type: "counter",
        labelNames: [],
        samples: (set) => set({}, 3),
      },
      {
        ...{ name: "h", help: "h", labelNames: ["a"], buckets: BUCKETS },
        type: "histogram",
        samples: (set) => set({ a: ODD[0] ?? ("" as LabelValue) }, ours),
      },
    ]);
    // prom-client spells NaN "Nan"; the text format's parsers read either, ours is the spec's.
    expect(text).toBe((await reference.metrics()).replace(" Nan\n", " NaN\n"));
    expect(text).toContain('g{a="new\\nline",b="2"} 1e+21\n');
    expect(text).toContain('h_bucket{le="1",a="quote \\" here"} 3\n');
  });

  it("writes a family with no sample as its HELP and TYPE lines only", () => {
    expect(
      written([
        { name: "x", help: "none yet", type: "gauge", labelNames: ["a"], samples: () => undefined },
      ]),
    ).toBe("# HELP x none yet\n# TYPE x gauge\n");
  });
});

describe("ByteSink", () => {
  it("holds every piece in order as UTF-8, growing past its capacity, characters across pieces intact", () => {
    const sink = new ByteSink(16);
    const pieces = Array.from({ length: 20_000 }, (_, i) => `${i}:ж😀é\n`);
    for (const piece of pieces) sink.add(piece);
    const text = pieces.join("");
    expect(sink.bytes().toString()).toBe(text);
    expect(sink.bytes().length).toBe(Buffer.byteLength(text));
  });
});

describe("observe", () => {
  it("counts a value in the first bucket that holds it, and above every bound only in +Inf", () => {
    const h = createHistogram(BUCKETS);
    for (const v of [0.5, 0.51, 99]) observe(h, BUCKETS, v);
    expect(h).toEqual({ buckets: [1, 1, 0], sum: 100.01, count: 3 });
  });
});
