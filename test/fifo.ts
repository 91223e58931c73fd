import { execFileSync } from "node:child_process";

/**
 * Creates a FIFO at `path`. Node has no mkfifo, so this runs coreutils' mkfifo, which exits at once:
 * the one child process a unit test may start (test/unit/test-layout.test.ts allows this helper).
 */
export function makeFifo(path: string): void {
  execFileSync("mkfifo", [path]);
}
