import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { REPLY_REF_MARKER, WEBHOOK_SECRET_MARKER } from "../../src/simulator/server.js";
import { readGenerationId } from "../../src/sources/scheduler/answer.js";
import { SCHEDULER_ANOMALY_KINDS } from "../../src/sources/scheduler/snapshot.js";
import { FAILURE_CASES } from "../failure-cases.js";
import { pollCase } from "../failure-poll.js";
import { VirtualClock } from "../virtual-clock.js";
import { get, ownSamples, scrape, startStack, TOKEN, type Stack } from "../harness.js";

const NOW = Date.parse("2024-09-25T02:00:00.000Z");
const SCHEDULER = ["--scheduler.interval=1h"];

const documented = {
  executing: [
    {
      videoId: "user:1234-minimax:567890-video:abc123",
      started: "2024-09-25T01:55:16.128Z",
      elapsed: "03:57",
      replyUrl: "https://example.com/hook?key=DOCUMENTED-HOOK-KEY",
      replyRef: "DOCUMENTED-REF",
    },
    { imageId: "user:1234-minimax:567890-image:def456", started: 1727229498555, elapsed: "00:35" },
  ],
  available: [
    { account: "567890", maxJobs: 5, executing: 1, available: 4 },
    { account: "112233", maxJobs: 1, executing: 0, available: 1 },
  ],
};

/** The samples of the generation families only. */
function generationSamples(text: string): Map<string, number> {
  return new Map(
    [...ownSamples(text)].filter(([key]) => /^useapi_minimax_(generation|video_slots)/.test(key)),
  );
}

async function pollScheduler(stack: Stack): Promise<string> {
  return await stack.exporter.runner("scheduler").pollOnce();
}

describe("the scheduler source", () => {
  // A stack of its own for every test: none depends on what another polled before it.
  let stack: Stack;
  let clock: VirtualClock;
  beforeEach(async () => {
    clock = new VirtualClock();
    stack = await startStack({
      flags: SCHEDULER,
      deps: { now: () => NOW, timers: clock },
      before: (sim) => sim.setPayload(documented, "scheduler"),
    });
  });
  afterEach(async () => {
    await stack.close();
  });

  it("exports the documented example by account and type, with video capacity", async () => {
    stack.simulator.setPayload(documented, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    expect(generationSamples(await scrape(stack))).toEqual(
      new Map([
        ['useapi_minimax_generations_executing{account="567890",type="video"}', 1],
        ['useapi_minimax_generations_executing{account="567890",type="image"}', 1],
        ['useapi_minimax_generations_executing{account="567890",type="audio"}', 0],
        ['useapi_minimax_generations_executing{account="112233",type="video"}', 0],
        ['useapi_minimax_generations_executing{account="112233",type="image"}', 0],
        ['useapi_minimax_generations_executing{account="112233",type="audio"}', 0],
        ['useapi_minimax_generation_max_elapsed_seconds{account="567890",type="video"}', 237],
        ['useapi_minimax_generation_max_elapsed_seconds{account="567890",type="image"}', 35],
        ['useapi_minimax_generation_max_elapsed_seconds{account="567890",type="audio"}', 0],
        ['useapi_minimax_generation_max_elapsed_seconds{account="112233",type="video"}', 0],
        ['useapi_minimax_generation_max_elapsed_seconds{account="112233",type="image"}', 0],
        ['useapi_minimax_generation_max_elapsed_seconds{account="112233",type="audio"}', 0],
        ['useapi_minimax_video_slots{account="567890"}', 5],
        ['useapi_minimax_video_slots{account="112233"}', 1],
        ['useapi_minimax_video_slots_available{account="567890"}', 4],
        ['useapi_minimax_video_slots_available{account="112233"}', 1],
        ['useapi_minimax_generations_started_total{account="567890",type="video"}', 0],
        ['useapi_minimax_generations_started_total{account="567890",type="image"}', 0],
        ['useapi_minimax_generations_started_total{account="567890",type="audio"}', 0],
        ['useapi_minimax_generations_started_total{account="112233",type="video"}', 0],
        ['useapi_minimax_generations_started_total{account="112233",type="image"}', 0],
        ['useapi_minimax_generations_started_total{account="112233",type="audio"}', 0],
        ['useapi_minimax_generations_finished_total{account="567890",type="video"}', 0],
        ['useapi_minimax_generations_finished_total{account="567890",type="image"}', 0],
        ['useapi_minimax_generations_finished_total{account="567890",type="audio"}', 0],
        ['useapi_minimax_generations_finished_total{account="112233",type="video"}', 0],
        ['useapi_minimax_generations_finished_total{account="112233",type="image"}', 0],
        ['useapi_minimax_generations_finished_total{account="112233",type="audio"}', 0],
      ]),
    );
  });

  it("counts an image under videoId as an image, and exports speech in flight where reported", async () => {
    stack.simulator.setPayload(
      {
        executing: [
          // The documentation's March 2025 example: an image under videoId.
          { videoId: "user:1234-minimax:567890-image:def456", elapsed: "00:35" },
        ],
        available: [
          { account: "567890", maxJobs: 5, executing: 0, available: 5, executingAudio: 2 },
          { account: "112233", maxJobs: 1, executing: 0, available: 1 },
        ],
      },
      "scheduler",
    );
    expect(await pollScheduler(stack)).toBe("success");
    const text = await scrape(stack);
    const values = ownSamples(text);
    expect(values.get('useapi_minimax_generations_executing{account="567890",type="image"}')).toBe(
      1,
    );
    expect(values.get('useapi_minimax_generations_executing{account="567890",type="video"}')).toBe(
      0,
    );
    expect(
      values.get(
        'useapi_minimax_payload_anomalies_total{source="scheduler",kind="capacity_mismatch"}',
      ),
    ).toBe(0);
    expect([...values].filter(([k]) => k.startsWith("useapi_minimax_speech_executing"))).toEqual([
      ['useapi_minimax_speech_executing{account="567890"}', 2],
    ]);
    expect(text).toContain("# TYPE useapi_minimax_speech_executing gauge\n");
  });

  it("reads speech generations by their -audio: IDs under audioId or videoId, through started, finished and run time", async () => {
    const speech = {
      executing: [
        {
          audioId: "user:12345-minimax:567890-audio:178737039436895391",
          started: "2024-09-25T01:59:48.000Z",
          elapsed: "00:12",
        },
        { videoId: "user:12345-minimax:567890-audio:178737039436895392", elapsed: "00:40" },
        // No type segment: the key's type.
        { audioId: "user:12345-minimax:112233", elapsed: "00:05" },
        // Not guessed: a type this exporter does not know, and an element with two ID keys.
        { audioId: "user:12345-minimax:567890-music:1", elapsed: "00:10" },
        {
          videoId: "user:12345-minimax:567890-video:2",
          audioId: "user:12345-minimax:567890-audio:3",
        },
      ],
      available: [
        { account: "567890", maxJobs: 5, executing: 0, available: 5, executingAudio: 4 },
        { account: "112233", maxJobs: 1, executing: 0, available: 1 },
      ],
    };
    stack.simulator.setPayload({ ...speech, executing: [] }, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    stack.simulator.setPayload(speech, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    let values = ownSamples(await scrape(stack));
    const of = (name: string, account: string, type: string) =>
      values.get(`useapi_minimax_${name}{account="${account}",type="${type}"}`);
    expect(
      ["video", "image", "audio"].map((type) => [
        of("generations_executing", "567890", type),
        of("generations_executing", "112233", type),
        of("generation_max_elapsed_seconds", "567890", type),
        of("generations_started_total", "567890", type),
      ]),
    ).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [2, 1, 40, 2],
    ]);
    expect(of("generations_started_total", "112233", "audio")).toBe(1);
    // The account's own count and the scheduler's list are exported side by side.
    expect(values.get('useapi_minimax_speech_executing{account="567890"}')).toBe(4);
    const anomaly = (kind: string) =>
      values.get(`useapi_minimax_payload_anomalies_total{source="scheduler",kind="${kind}"}`);
    expect(
      ["unknown_generation_type", "unreadable_generation_id", "capacity_mismatch"].map(anomaly),
    ).toEqual([1, 1, 0]);

    stack.simulator.setPayload({ ...speech, executing: [] }, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    values = ownSamples(await scrape(stack));
    expect([
      of("generations_finished_total", "567890", "audio"),
      of("generations_executing", "567890", "audio"),
      of("generation_duration_seconds_count", "567890", "audio"),
      of("generation_duration_seconds_sum", "567890", "audio"),
      values.get(
        'useapi_minimax_generation_duration_seconds_bucket{le="30",account="567890",type="audio"}',
      ),
      of("generations_finished_total", "567890", "video"),
    ]).toEqual([2, 0, 2, 52, 1, 0]);
  });

  it("counts generations started and finished between polls, their run time, and drops departed accounts", async () => {
    stack.simulator.setPayload(documented, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    const [video, image] = documented.executing;
    const duplicate = { videoId: "user:1234-minimax:112233-video:new", started: NOW - 30_000 };
    stack.simulator.setPayload(
      {
        executing: [
          image,
          duplicate,
          duplicate,
          { ...duplicate, videoId: "user:1-minimax:445566-video:z" },
        ],
        available: [{ account: "112233", maxJobs: 1, executing: 1, available: 0 }],
      },
      "scheduler",
    );
    expect(await pollScheduler(stack)).toBe("success");
    const text = await scrape(stack);
    const values = ownSamples(text);
    // 567890 left available[] but still runs its image: it stays, without capacity.
    expect(
      values.get('useapi_minimax_generations_finished_total{account="567890",type="video"}'),
    ).toBe(1);
    expect(values.get('useapi_minimax_generations_executing{account="567890",type="video"}')).toBe(
      0,
    );
    expect(values.get('useapi_minimax_generations_executing{account="567890",type="image"}')).toBe(
      1,
    );
    expect(values.has('useapi_minimax_video_slots{account="567890"}')).toBe(false);
    expect(
      values.get(
        'useapi_minimax_generation_duration_seconds_bucket{le="180",account="567890",type="video"}',
      ),
    ).toBe(0);
    expect(
      values.get(
        'useapi_minimax_generation_duration_seconds_bucket{le="240",account="567890",type="video"}',
      ),
    ).toBe(1);
    expect(
      values.get('useapi_minimax_generation_duration_seconds_sum{account="567890",type="video"}'),
    ).toBe(237);
    expect(
      values.get('useapi_minimax_generations_started_total{account="112233",type="video"}'),
    ).toBe(1);
    expect(values.get('useapi_minimax_generations_executing{account="112233",type="video"}')).toBe(
      1,
    );
    expect(
      values.get('useapi_minimax_generations_started_total{account="445566",type="video"}'),
    ).toBe(1);
    expect(values.get('useapi_minimax_video_slots_available{account="112233"}')).toBe(0);
    // One repeated generation; 567890 (gone from available[]) and 445566 (never in it) unlisted.
    expect(
      SCHEDULER_ANOMALY_KINDS.map((kind) => [
        kind,
        values.get(`useapi_minimax_payload_anomalies_total{source="scheduler",kind="${kind}"}`),
      ]),
    ).toEqual([
      ["duplicate_generation", 1],
      ["unreadable_generation_id", 0],
      ["unknown_generation_type", 0],
      ["unreadable_generation_time", 0],
      ["unlisted_account", 2],
      ["capacity_mismatch", 0],
      ["invalid_capacity", 0],
      ["invalid_label_value", 0],
    ]);
    expect(video).toBeDefined();

    // Every account leaves: all their series go in the same update, counters included.
    stack.simulator.setPayload(
      { executing: [], available: [{ account: "778899", maxJobs: 2, executing: 0, available: 2 }] },
      "scheduler",
    );
    expect(await pollScheduler(stack)).toBe("success");
    const after = [...generationSamples(await scrape(stack)).keys()];
    expect(after.filter((key) => !key.includes('account="778899"'))).toEqual([]);
    expect(after).toContain(
      'useapi_minimax_generations_started_total{account="778899",type="image"}',
    );
  });

  it.each(FAILURE_CASES)(
    "scheduler %s: jobs and up untouched, the last good generation values kept, the outcome counted",
    async (mode, options, outcome) => {
      stack.simulator.setMode("ok", {}, "scheduler");
      stack.simulator.setPayload(documented, "scheduler");
      expect(await pollScheduler(stack)).toBe("success");
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
      const before = await scrape(stack);

      stack.simulator.setMode(mode, options, "scheduler");
      expect(await pollCase(stack, clock, "scheduler", outcome)).toBe(outcome);
      expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
      const during = await scrape(stack);
      const values = ownSamples(during);
      expect(values.get("useapi_minimax_up")).toBe(1);
      expect(values.get('useapi_minimax_source_up{source="jobs"}')).toBe(1);
      expect(values.get('useapi_minimax_source_up{source="scheduler"}')).toBe(0);
      const requests = `useapi_minimax_source_requests_total{source="scheduler",outcome="${outcome}"}`;
      expect([ownSamples(before).get(requests), values.get(requests)]).toEqual([0, 1]);
      expect(generationSamples(during)).toEqual(generationSamples(before));
      expect(generationSamples(during).size).toBe(28); // the documented example's, as above
      stack.simulator.setMode("ok", {}, "scheduler");
    },
  );

  it("keeps polling the scheduler while the jobs list fails", async () => {
    stack.simulator.setMode("server_error");
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("server_error");
    stack.simulator.setPayload(documented, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    const values = ownSamples(await scrape(stack));
    expect(values.get("useapi_minimax_up")).toBe(0);
    expect(values.get('useapi_minimax_source_up{source="scheduler"}')).toBe(1);
    expect(values.get('useapi_minimax_generations_executing{account="567890",type="video"}')).toBe(
      1,
    );
    stack.simulator.setMode("ok");
  });

  it("lists generations on the landing page", async () => {
    stack.simulator.setPayload(documented, "scheduler");
    expect(await pollScheduler(stack)).toBe("success");
    const page = (await get(`${stack.exporter.url}/`)).body;
    expect(page).toContain("<h2>Generations</h2>");
    expect(page).toContain(
      "<tr><td>567890</td><td>1</td><td>1</td><td>0</td><td>237</td><td>4</td><td>5</td></tr>",
    );
    expect(page).toContain(
      "<tr><td>112233</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>",
    );
    expect(page).not.toMatch(/DOCUMENTED-HOOK-KEY|DOCUMENTED-REF|example\.com/);
  });
});

describe("a scheduler answer naming more accounts than --useapi.max-accounts", () => {
  it("is limit_exceeded even with the accounts only in generation IDs: the last good values and a bounded exposition", async () => {
    const stack = await startStack({
      flags: [
        "--scheduler.interval=1h",
        "--poll.timeout=20s",
        "--useapi.max-response-bytes=4MiB",
        // the generations' own bound is raised, so that the accounts' is the one reached
        "--useapi.max-jobs=100000",
      ],
      deps: { now: () => NOW },
      before: (sim) => sim.setPayload(documented, "scheduler"),
    });
    try {
      expect(await pollScheduler(stack)).toBe("success");
      const before = await scrape(stack);
      // Issue 20: 75,000 accounts (4 MB, no available[]) once made a 42-145 MB exposition.
      const executing = Array.from({ length: 75_000 }, (_, i) => ({
        imageId: `minimax:${i}-image:a`,
        elapsed: "00:45",
      }));
      expect(JSON.stringify({ executing }).length).toBeGreaterThan(3_900_000);
      stack.simulator.setPayload({ executing }, "scheduler");
      expect(await pollScheduler(stack)).toBe("limit_exceeded");
      const during = await scrape(stack);
      expect(generationSamples(during)).toEqual(generationSamples(before));
      // Only the health and process samples change (a few hundred bytes); it was 42-145 MB.
      expect(during.length).toBeLessThan(before.length + 10_000);
      const values = ownSamples(during);
      expect(
        values.get(
          'useapi_minimax_source_requests_total{source="scheduler",outcome="limit_exceeded"}',
        ),
      ).toBe(1);
      const warned = stack.logs.map((l) => JSON.parse(l) as { level: string; detail?: string });
      expect(warned.filter((r) => r.level === "warn").map((r) => r.detail)).toEqual([
        expect.stringContaining("--useapi.max-accounts"),
      ]);
    } finally {
      await stack.close();
    }
  });
});

describe("account IDs the scheduler sends that cannot be labels", () => {
  it("are left out and counted, whether over-long or not well-formed UTF-16, the rest exported", async () => {
    const stack = await startStack({
      flags: ["--scheduler.interval=1h", "--poll.timeout=20s", "--useapi.max-response-bytes=4MiB"],
      deps: { now: () => NOW },
    });
    try {
      const long = "9".repeat(1_000_000);
      stack.simulator.setPayload(
        {
          executing: [{ videoId: `user:1-minimax:${long}-video:a`, elapsed: "00:10" }],
          available: [
            ...["\ud800", "\udc00", "\udfff"].map((account, i) => ({
              account,
              maxJobs: 2,
              executing: 0,
              available: i,
            })),
            { account: long, maxJobs: 1, executing: 1, available: 0 },
            { account: "7", maxJobs: 1, executing: 0, available: 1 },
          ],
        },
        "scheduler",
      );
      expect(await pollScheduler(stack)).toBe("success");
      const text = await scrape(stack);
      expect(text.length).toBeLessThan(100_000);
      expect(text).not.toContain("\ufffd");
      const values = ownSamples(text);
      expect([...generationSamples(text).keys()].filter((k) => !k.includes('account="7"'))).toEqual(
        [],
      );
      expect(values.get('useapi_minimax_video_slots_available{account="7"}')).toBe(1);
      expect(
        values.get(
          'useapi_minimax_payload_anomalies_total{source="scheduler",kind="invalid_label_value"}',
        ),
      ).toBe(4);
    } finally {
      await stack.close();
    }
  });
});

describe("webhook data of the simulator's generations", () => {
  it("never reaches a log line, a metric, a label or a page, whatever the scheduler answers", async () => {
    let now = Date.parse("2025-11-24T12:00:00Z");
    const clock = new VirtualClock();
    const stack = await startStack({
      flags: SCHEDULER,
      deps: { now: () => now, timers: clock },
      simulator: { accounts: 12, idleAccounts: 1, now: () => now },
    });
    try {
      const raw = await request(`${stack.simulator.url}/v1/minimax/scheduler/available`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const text = await raw.body.text();
      expect(text).toContain(WEBHOOK_SECRET_MARKER);
      expect(text).toContain(REPLY_REF_MARKER);
      const bodies: string[] = [];
      const scrapeAll = async () => {
        for (const path of ["/metrics", "/", "/-/ready", "/-/healthy", "/nope"]) {
          bodies.push((await get(stack.exporter.url + path)).body);
        }
      };
      for (let step = 0; step < 20; step++) {
        now += 45_000;
        expect(await pollScheduler(stack)).toBe("success");
        await scrapeAll();
      }
      for (const [mode, options, outcome] of FAILURE_CASES) {
        stack.simulator.setMode(mode, options, "scheduler");
        expect(await pollCase(stack, clock, "scheduler", outcome)).toBe(outcome);
        await scrapeAll();
      }
      const metrics = ownSamples(bodies[0] ?? "");
      expect(
        [...metrics.keys()].some((k) => k.startsWith("useapi_minimax_generations_executing{")),
      ).toBe(true);
      expect(stack.logs.length).toBeGreaterThan(20);
      for (const body of [...stack.logs, ...bodies]) {
        expect(body).not.toContain(WEBHOOK_SECRET_MARKER);
        expect(body).not.toContain(REPLY_REF_MARKER);
        expect(body).not.toContain("hooks.example.com");
      }
    } finally {
      await stack.close();
    }
  });
});

describe("the simulator's scheduler", () => {
  it("is read by the exporter as it is: generations by the type their ID names, speech listed and counted", async () => {
    let now = Date.parse("2025-11-24T12:00:00Z");
    const stack = await startStack({
      flags: SCHEDULER,
      deps: { now: () => now },
      simulator: { accounts: 12, idleAccounts: 1, now: () => now },
    });
    try {
      const { generations } = stack.simulator;
      let images = 0;
      let listedSpeech = 0;
      let speaking = 0;
      for (let step = 0; step < 30; step++) {
        now += 41_000;
        expect(await pollScheduler(stack)).toBe("success");
        const values = ownSamples(await scrape(stack));
        const truth = new Map<string, number>();
        for (const account of stack.simulator.activity.accounts)
          for (const type of ["video", "image", "audio"])
            truth.set(
              `useapi_minimax_generations_executing{account="${account}",type="${type}"}`,
              0,
            );
        for (const g of generations.running(now)) {
          const key = `useapi_minimax_generations_executing{account="${g.account}",type="${g.type}"}`;
          truth.set(key, (truth.get(key) ?? 0) + 1);
          if (g.type === "image") images++;
          if (g.type === "audio") listedSpeech++;
        }
        for (const [account, count] of generations.speech(now)) {
          truth.set(`useapi_minimax_speech_executing{account="${account}"}`, count);
          speaking += count;
        }
        const read = [...values].filter(([k]) =>
          /^useapi_minimax_(generations|speech)_executing\{/.test(k),
        );
        expect(new Map(read)).toEqual(truth);
        expect(
          values.get(
            'useapi_minimax_payload_anomalies_total{source="scheduler",kind="capacity_mismatch"}',
          ),
        ).toBe(0);
      }
      // The seeded model's; its speech is listed in executing[] as executingAudio counts it.
      expect({ images, listedSpeech, speaking }).toEqual({
        ...{ images: 56, listedSpeech: 47, speaking: 47 },
      });
    } finally {
      await stack.close();
    }
  });

  it("models generations consistent with each account's maxJobs, in all three types and both started forms", async () => {
    let now = Date.parse("2025-11-24T12:00:00Z");
    const stack = await startStack({
      flags: SCHEDULER,
      simulator: { accounts: 10, idleAccounts: 2, now: () => now },
    });
    try {
      const { activity } = stack.simulator;
      const seen = { video: 0, image: 0, iso: 0, epoch: 0, hooks: 0, full: 0 };
      const more = { imageAsVideoId: 0, speech: 0, speechIdle: 0, speechAbsent: 0 };
      const audio = { underAudioId: 0, underVideoId: 0 };
      const modelled = { video: 0, image: 0, audio: 0 };
      for (let step = 0; step < 60; step++) {
        now += 37_000;
        const answer = await request(`${stack.simulator.url}/v1/minimax/scheduler/available`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const body = (await answer.body.json()) as {
          executing: Record<string, unknown>[];
          available: {
            account: string;
            maxJobs: number;
            executing: number;
            available: number;
            executingAudio?: number;
          }[];
        };
        expect(body.available.map((a) => a.account)).toEqual(activity.accounts);
        for (const g of stack.simulator.generations.running(now)) modelled[g.type]++;
        const videos = new Map<string, number>();
        const speech = new Map<string, number>();
        for (const g of body.executing) {
          const id = String(g["videoId"] ?? g["imageId"] ?? g["audioId"]);
          const read = readGenerationId(id);
          const { account, type } = typeof read === "object" ? read : { account: "", type: "" };
          expect(activity.accounts).toContain(account);
          expect(activity.idleAccounts).not.toContain(account);
          const keys = ["videoId", "imageId", "audioId"].filter((key) => g[key] !== undefined);
          expect(keys).toHaveLength(1);
          if (type === "video") {
            expect(keys).toEqual(["videoId"]);
            seen.video++;
            videos.set(account, (videos.get(account) ?? 0) + 1);
          } else if (type === "image") seen.image++;
          else {
            expect(type).toBe("audio");
            expect(keys).not.toEqual(["imageId"]);
            audio[keys[0] === "audioId" ? "underAudioId" : "underVideoId"]++;
            speech.set(account, (speech.get(account) ?? 0) + 1);
          }
          if (type === "image" && g["videoId"] !== undefined) more.imageAsVideoId++;
          if (typeof g["started"] === "number") seen.epoch++;
          else seen.iso++;
          if (g["replyUrl"] !== undefined) seen.hooks++;
        }
        for (const a of body.available) {
          expect(a.maxJobs).toBe(activity.maxJobs(a.account));
          expect(a.executing).toBe(videos.get(a.account) ?? 0);
          expect(a.executing).toBeLessThanOrEqual(a.maxJobs);
          expect(a.available).toBe(a.maxJobs - a.executing);
          if (a.available === 0) seen.full++;
          expect(a.executingAudio).toBe(stack.simulator.generations.speech(now).get(a.account));
          expect(speech.get(a.account) ?? 0).toBe(a.executingAudio ?? 0);
          if (a.executingAudio === undefined) more.speechAbsent++;
          else if (a.executingAudio === 0) more.speechIdle++;
          else more.speech++;
        }
      }
      // Every form shows up in the seeded model's 37 minutes (speech only in ISO form); the types agree with its ground truth.
      expect({ ...seen, ...more, ...audio }).toEqual({
        ...{ video: 340, image: 74, iso: 247, epoch: 221, hooks: 190, full: 81 },
        ...{ underAudioId: 25, underVideoId: 29 },
        ...{ imageAsVideoId: 14, speech: 46, speechIdle: 74, speechAbsent: 480 },
      });
      expect({
        ...{ video: seen.video, image: seen.image },
        audio: audio.underAudioId + audio.underVideoId,
      }).toEqual(modelled);
      expect(seen.hooks).toBeLessThan(seen.video + seen.image);
    } finally {
      await stack.close();
    }
  });
});
