import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The path of an executable on PATH, or undefined. */
export function findBinary(name: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Whether tests that need `name` can run. On a laptop without it they are skipped (and reported
 * as skipped); in CI (CI=true) a missing binary is an error, never a silent skip.
 */
export function haveBinary(name: string, debianPackage: string): boolean {
  if (findBinary(name) !== undefined) return true;
  if (process.env["CI"] === "true") {
    throw new Error(
      `${name} is missing in CI: .ci/run must install the Debian package ${debianPackage}`,
    );
  }
  console.warn(`skipping tests that need ${name}: install the Debian package ${debianPackage}`);
  return false;
}
