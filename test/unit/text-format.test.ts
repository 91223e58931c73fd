import { describe, expect, it } from "vitest";
import { Gauge, Registry } from "prom-client";
import { createMappedSink } from "../../src/metrics/mapped-sink.js";
import { histogramWriter, observe, emptyHistogram } from "../../src/metrics/histogram-text.js";
import { familyHeader } from "../../src/metrics/text-format.js";

describe("the hand-written text format", () => {
  it.each([
    ["plain help", "Plain help."],
    ["a backslash", "A path C:\\temp and \\n literally."],
    ["a newline", "Two\nlines."],
    ["both", "a\\b\nc\\\nd"],
  ])("escapes HELP with %s as prom-client does", async (_name, help) => {
    const registry = new Registry();
    new Gauge({ name: "family", help, registers: [registry] }).set(1);
    const header = (await registry.metrics()).split("\n").slice(0, 2).join("\n") + "\n";
    expect(familyHeader("family", help, "gauge")).toBe(header);
  });

  it("writes no histogram series before its first observation, and +Inf, sum and count after", () => {
    const write = histogramWriter("h", [1, 2]);
    const counts = emptyHistogram();
    const text = () => {
      const out = createMappedSink();
      write(out, 'account="a"', counts);
      return out.finish().toString();
    };
    expect(text()).toBe("");
    observe(counts, [1, 2], 1.5);
    observe(counts, [1, 2], 7);
    expect(text()).toBe(
      'h_bucket{le="1",account="a"} 0\nh_bucket{le="2",account="a"} 1\n' +
        'h_bucket{le="+Inf",account="a"} 2\nh_sum{account="a"} 8.5\nh_count{account="a"} 2\n',
    );
  });
});
