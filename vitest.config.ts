import { defineConfig } from "vitest/config";

const jsonReport = process.env["VITEST_JSON_REPORT"];

/**
 * A test file's folder is its project. unit: pure code, no server, no child process, no dist/.
 * integration: real servers on loopback port 0 in this process (test/harness.ts). system: child
 * processes running dist/ or Debian binaries; only this project compiles dist/ first.
 * test/unit/test-layout.test.ts checks that each file keeps to its folder's rule.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Console output and captured child output show for failing tests only.
    silent: "passed-only",
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "system",
          include: ["test/system/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
  },
});
