// The goals of bench/RESULTS.md, each judged on figures of one run (a ratio where it is a time).

const LIMIT_MB = 268; // the Deployment's memory limit, 256 MiB

/** One row per goal: what it asks, what the run measured, and whether that meets it. */
export function goals(r) {
  return [
    ...serving(r.serve),
    ...r.sources.rows.map((x) => ({
      goal: `Poll processing of ${x.source} at ${x.items.toLocaleString("en")} ${x.unit}: ≤ 3 × JSON.parse`,
      measured: `${x.ratio} ×`,
      met: x.ratio <= 3,
    })),
    ...memory(r.memory[0]),
    {
      goal: "Peak RSS while polling each hostile answer < 256 MiB (the Deployment's limit)",
      measured: `at most ${Math.max(...r.hostile.map((x) => x.peakMb ?? Infinity))} MB`,
      met: r.hostile.every((x) => x.peakMb < LIMIT_MB),
    },
    {
      goal: "/-/healthy answers within 1 s during each hostile answer's poll",
      measured: `at most ${Math.max(...r.hostile.map((x) => x.slowestHealthyMs ?? Infinity))} ms`,
      met: r.hostile.every((x) => x.slowestHealthyMs < 1000),
    },
    {
      goal: "Each source asks the upstream once per interval (credits: once per account), however many scrape",
      measured: r.economy.sources.map((x) => `${x.source} ${x.requests}/${x.expected}`).join(", "),
      met: r.economy.sources.every((x) => x.met) && r.economy.failedScrapes === 0,
    },
    {
      goal: "A poll of any one source renders /metrics once",
      measured: r.renderings.alone.map((x) => `${x.source} ${x.renderings}`).join(", "),
      met: r.renderings.alone.every((x) => x.renderings === 1 && x.outcome === "success"),
    },
    {
      goal: "Polls that end in the same turn share one rendering",
      measured: `${r.renderings.burst.refreshes} refreshes in one turn: ${r.renderings.burst.renderings} rendering; every source at once: ${r.renderings.polls} polls, ${r.renderings.renderings} renderings`,
      met: r.renderings.burst.renderings === 1 && r.renderings.renderings < r.renderings.polls,
    },
    ...flood(r.flood),
  ];
}

function serving(serve) {
  return serve.rows.flatMap((row) => {
    const at = `/metrics at ${row.accounts.toLocaleString("en")} accounts, gzip ${row.gzip ? "on" : "off"}, ${serve.connections} connections`;
    const p99 = Math.round((row.exporter.p99Ms / row.ceiling.p99Ms) * 100) / 100;
    return [
      {
        goal: `${at}: ≥ 0.9 × the bare node:http ceiling's requests/s`,
        measured: `${row.exporterToCeiling} × (${row.exporter.rps} / ${row.ceiling.rps})`,
        met: (row.exporterToCeiling ?? 0) >= 0.9,
      },
      {
        goal: `${at}: p99 ≤ 2 × the ceiling's p99`,
        measured: `${p99} × (${row.exporter.p99Ms} / ${row.ceiling.p99Ms} ms)`,
        met: p99 <= 2,
      },
    ];
  });
}

function memory(m) {
  return [
    {
      goal: `Idle RSS after warm-up at ${m.accounts.toLocaleString("en")} accounts < 120 MB (${m.idleMs / 1000} s after a poll)`,
      measured: `${m.warmRssMb} MB (right after the poll: ${m.warmBusyRssMb} MB)`,
      met: m.warmRssMb < 120,
    },
    {
      goal: `Idle RSS growth over ${m.polls.toLocaleString("en")} churning polls < 5 %${m.polls < 1000 ? " (asked over 1,000: this run is scaled down)" : ""}`,
      measured: `${m.growthPercent} % (right after the poll: ${m.busyGrowthPercent} %)`,
      met: m.growthPercent < 5 && m.polls >= 1000,
    },
  ];
}

function flood(f) {
  const [ours, theirs] = f.rows;
  return [
    {
      goal: "During the credential flood, the good scraper's p95 ≤ blackbox_exporter's",
      measured: `${ours.p95Ms} ms against ${theirs.p95Ms} ms`,
      met: ours.p95Ms <= theirs.p95Ms,
    },
    {
      goal: "During the credential flood, the good scraper's worst case ≤ blackbox_exporter's",
      measured: `${ours.worstMs} ms against ${theirs.worstMs} ms`,
      met: ours.worstMs <= theirs.worstMs,
    },
  ];
}
