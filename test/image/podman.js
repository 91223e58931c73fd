// Runs podman the way it works on these machines: runc (crun fails on this cgroup setup), lowered limits.
import { spawn } from "node:child_process";
import process from "node:process";
import { clearTimeout, setTimeout } from "node:timers";

export const LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000"];

/**
 * Runs `podman args…` and resolves to { code, stdout, stderr }; rejects when it runs past timeoutMs
 * (killing it) or cannot start. `input` is written to its stdin.
 */
export function podman(args, { timeoutMs = 60_000, input, stdin, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("podman", ["--runtime", "runc", ...args], {
      stdio: [stdin ?? "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
      if (echo) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`podman ${args[0]} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run podman (apt-get install podman runc): ${error.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (child.stdin) {
      if (input !== undefined) child.stdin.end(input);
      else if (stdin === undefined) child.stdin.end();
    }
  });
}

/** Like podman(), but rejects with podman's own message when it exits non-zero. */
export async function podmanOk(args, options) {
  const result = await podman(args, options);
  if (result.code !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-5).join("\n");
    throw new Error(`podman ${args[0]} exited ${result.code}: ${said}`);
  }
  return result.stdout;
}
