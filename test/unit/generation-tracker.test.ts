import { describe, expect, it } from "vitest";
import { parseSchedulerAnswer } from "../../src/sources/scheduler/answer.js";
import { createGenerationTracker } from "../../src/sources/scheduler/generation-tracker.js";
import {
  toGenerationSnapshot,
  type GenerationSnapshot,
} from "../../src/sources/scheduler/snapshot.js";

const NOW = Date.parse("2024-09-25T02:00:00.000Z");
type Row = [id: string, elapsed: string];
const video = (account: string, name: string, elapsed: string): Row => [
  `user:1-minimax:${account}-video:${name}`,
  elapsed,
];
const answer = (...rows: Row[]) =>
  parseSchedulerAnswer(
    {
      executing: rows.map(([videoId, elapsed]) => ({ videoId, elapsed })),
      available: [{ account: "1", maxJobs: 5, executing: 0, available: 5 }],
    },
    "minimax:",
  );

describe("the generation tracker", () => {
  it("shares the last listing while an answer lists the same IDs, and sees nothing change", () => {
    const tracker = createGenerationTracker({ maxTracked: 10 });
    const rows = [video("1", "a", "00:10"), video("1", "a", "00:10"), video("2", "b", "00:20")];
    const first = toGenerationSnapshot(answer(...rows), NOW);
    expect(tracker.observe(first.generations)).toEqual({ started: [], finished: [] });
    const later = [video("1", "a", "00:40"), video("1", "a", "00:40"), video("2", "b", "00:50")];
    const second = toGenerationSnapshot(answer(...later), NOW, first.listings);
    expect(second.listings.generations).toBe(first.listings.generations);
    expect(second.listings.capacities).toBe(first.listings.capacities);
    expect(second.anomalies.duplicate_generation).toBe(1);
    expect(second.anomalies.unlisted_account).toBe(1);
    expect(second.accounts.map((a) => [a.account, a.executing, a.maxElapsedSeconds])).toEqual([
      ["1", [1, 0], [40, 0]],
      ["2", [1, 0], [50, 0]],
    ]);
    expect(tracker.observe(second.generations)).toEqual({ started: [], finished: [] });
  });

  it("reports the new IDs as started and the missing ones as finished, as last seen", () => {
    const tracker = createGenerationTracker({ maxTracked: 10 });
    let last: GenerationSnapshot | undefined;
    const observe = (...rows: Row[]) => {
      last = toGenerationSnapshot(answer(...rows), NOW, last?.listings);
      return tracker.observe(last.generations);
    };
    observe(video("1", "a", "00:10"), video("1", "b", "00:10"));
    observe(video("1", "a", "00:30"), video("1", "b", "01:30"));
    const change = observe(video("1", "b", "01:45"), video("2", "c", "00:05"));
    expect(change.started).toEqual([
      { id: "user:1-minimax:2-video:c", account: "2", type: "video", elapsedSeconds: 5 },
    ]);
    expect(change.finished).toEqual([
      { id: "user:1-minimax:1-video:a", account: "1", type: "video", elapsedSeconds: 30 },
    ]);
    expect(observe(video("2", "c", "00:20")).finished.map((g) => g.elapsedSeconds)).toEqual([105]);
  });

  it("skips an answer of more than maxTracked generations and compares the next with the last one tracked", () => {
    const tracker = createGenerationTracker({ maxTracked: 2 });
    let last: GenerationSnapshot | undefined;
    const observe = (...rows: Row[]) => {
      last = toGenerationSnapshot(answer(...rows), NOW, last?.listings);
      return tracker.observe(last.generations);
    };
    observe(video("1", "a", "00:10"));
    expect(
      observe(video("1", "b", "00:10"), video("1", "c", "00:10"), video("1", "d", "00:10")),
    ).toEqual({ started: [], finished: [] });
    const change = observe(video("1", "a", "00:20"), video("1", "e", "00:01"));
    expect(change.started.map((g) => g.id)).toEqual(["user:1-minimax:1-video:e"]);
    expect(change.finished).toEqual([]);
  });
});
