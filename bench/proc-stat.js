// Figures of a process or one of its threads from Linux's /proc: CPU seconds used, seconds spent
// runnable but waiting for a CPU (bench/flood.js), and resident memory now and at its peak.
import { readdirSync, readFileSync } from "node:fs";

/** User and system CPU seconds (/proc/PID/stat, or /proc/PID/task/TID/stat; 100 ticks a second). */
export function cpuSeconds(pid, tid) {
  const stat = readFileSync(
    tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`,
    "utf8",
  );
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's ")".
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Seconds one thread spent ready to run but waiting for a CPU (the second field of schedstat). */
export function runQueueSeconds(pid, tid) {
  const [, waitingNs] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ");
  return Number(waitingNs) / 1e9;
}

/** The same summed over every thread the process has now. */
export function processRunQueueSeconds(pid) {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += runQueueSeconds(pid, tid);
    } catch {
      // the thread ended meanwhile
    }
  }
  return total;
}

/** Resident memory now (VmRSS) and its high-water mark (VmHWM), in MiB (/proc/PID/status). */
export function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
  return { rssMb: kb("VmRSS"), peakMb: kb("VmHWM") };
}
