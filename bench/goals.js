// The goals of bench/RESULTS.md (issue 25's), each judged on figures of one run.

const PEAK_LIMIT_MIB = 200; // /proc reports KiB: every memory figure here is in MiB
const LOOP_LIMIT_MS = 250;
const HEALTHY_LIMIT_MS = 1000;

const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : Infinity);
const maxOf = (rows, key) => Math.max(...rows.map((x) => x[key] ?? Infinity));
const worst = (rows, key) => rows.reduce((a, b) => ((b[key] ?? Infinity) > (a[key] ?? -1) ? b : a));

/** One row per goal: what it asks, what the run measured, and whether that meets it. */
export function goals(r) {
  return [
    ...users(r.users),
    ...bounds(r.bounds),
    ...serving(r.serve),
    ...flood(r.flood),
    ...mustNotRegress(r),
  ];
}

function users(u) {
  const floor = u.floor.steadyMb;
  const window = `minutes ${u.windowMinutes[0]}–${u.windowMinutes[1]}`;
  return u.rows.flatMap((row) => {
    const at = `${row.accounts} accounts, every source at its default interval`;
    const e = row.exporter;
    const b = row.blackbox;
    return [
      {
        goal: `${at}: steady RSS (median, ${window}) ≤ 1.15 × the floor's`,
        measured: `${ratio(e.steadyMb, floor)} × (${e.steadyMb} / ${floor} MiB)`,
        met: e.steadyMb <= 1.15 * floor,
      },
      {
        goal: `${at}: peak RSS (VmHWM) ≤ 1.2 × steady`,
        measured: `${ratio(e.peakMb, e.steadyMb)} × (${e.peakMb} / ${e.steadyMb} MiB)`,
        met: e.peakMb <= 1.2 * e.steadyMb,
      },
      {
        goal: `${at}: CPU seconds per hour (${window}) ≤ 2 × blackbox_exporter's on the same schedule`,
        measured: `${ratio(e.cpuPerHour, b.cpuPerHour)} × (${e.cpuPerHour} / ${b.cpuPerHour} s/h)`,
        met: e.cpuPerHour !== null && b.cpuPerHour !== null && e.cpuPerHour <= 2 * b.cpuPerHour,
      },
    ];
  });
}

function bounds(b) {
  return b.runs.flatMap((run) => {
    const on = `At the default bounds, every source and each hostile body, on ${run.node}`;
    if (run.rows.length === 0) {
      return [{ goal: `${on}: measured`, measured: run.error ?? "no rows", met: false }];
    }
    const peak = worst(run.rows, "peakMb");
    const loop = worst(run.rows, "loopMaxMs");
    const healthy = worst(run.rows, "slowestHealthyMs");
    return [
      {
        goal: `${on}: peak RSS ≤ 200 MiB`,
        measured: `at most ${maxOf(run.rows, "peakMb")} MiB (${peak.case})`,
        met: run.rows.every((x) => x.peakMb <= PEAK_LIMIT_MIB),
      },
      {
        goal: `${on}: longest event-loop block ≤ ${LOOP_LIMIT_MS} ms`,
        measured: `at most ${maxOf(run.rows, "loopMaxMs")} ms (${loop.case})`,
        met: run.rows.every((x) => x.loopMaxMs <= LOOP_LIMIT_MS),
      },
      {
        goal: `${on}: /-/healthy answers within 1 s`,
        measured: `at most ${maxOf(run.rows, "slowestHealthyMs")} ms (${healthy.case})`,
        met: run.rows.every((x) => x.slowestHealthyMs <= HEALTHY_LIMIT_MS),
      },
    ];
  });
}

function serving(serve) {
  return serve.rows.flatMap((row) => {
    const at = `/metrics at ${row.accounts.toLocaleString("en")} accounts, gzip ${row.gzip ? "on" : "off"}, ${serve.connections} connections`;
    const p99 = ratio(row.exporter.p99Ms, row.ceiling.p99Ms);
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

function mustNotRegress(r) {
  const [m] = r.memory;
  const u = r.usageBound;
  const x = r.renderings;
  return [
    {
      goal: `Idle RSS growth over ${m.polls.toLocaleString("en")} churning polls at ${m.accounts.toLocaleString("en")} accounts < 5 %${m.polls < 1000 ? " (asked over 1,000: this run is scaled down)" : ""}`,
      measured: `${m.growthPercent} % (right after the poll: ${m.busyGrowthPercent} %)`,
      met: m.growthPercent < 5 && m.polls >= 1000,
    },
    {
      goal: "Usage request series ≤ 1,500 whatever the number of distinct rows",
      measured: `${u.requestSeries} series after ${u.distinctRows.toLocaleString("en")} distinct rows`,
      met: u.requestSeries <= 1500,
    },
    {
      goal: "Each source asks the upstream once per interval (credits: once per account), however many scrape",
      measured: r.economy.sources.map((s) => `${s.source} ${s.requests}/${s.expected}`).join(", "),
      met: r.economy.sources.every((s) => s.met) && r.economy.failedScrapes === 0,
    },
    {
      goal: "One rendering of /metrics per poll (polls ending in the same turn share one)",
      measured: `alone: ${x.alone.map((a) => `${a.source} ${a.renderings}`).join(", ")}; every source at once: ${x.polls} polls, ${x.renderings} renderings; ${x.burst.refreshes} refreshes in one turn: ${x.burst.renderings}`,
      met:
        x.alone.every((a) => a.renderings === 1 && a.outcome === "success") &&
        x.renderings <= x.polls &&
        x.burst.renderings === 1,
    },
  ];
}
