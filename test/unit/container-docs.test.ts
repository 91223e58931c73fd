import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_PAGES, readDoc } from "../markdown.js";

const { version } = JSON.parse(readDoc("package.json")) as { version: string };
const IMAGE = `useapi-minimax-exporter:${version}`;
const PAGES = ["README.md", ...DOCS_PAGES];

/** Each shell command of a page's code blocks, its `\` continuations joined into one line. */
function commands(page: string): string[] {
  const blocks = [...readDoc(page).matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? "");
  return blocks.flatMap((block) => block.replace(/\\\n\s*/g, " ").split("\n"));
}
const docker = (verb: string) =>
  PAGES.flatMap((page) =>
    commands(page)
      .filter((line) => line.startsWith(`docker ${verb} `))
      .map((line) => ({ page, line })),
  );

describe("the container commands of the docs", () => {
  it("finds the docs' docker build and docker run commands", () => {
    expect(docker("build").map((command) => command.page)).toEqual(["docs/deploy.md"]);
    expect(docker("run").map((command) => command.page)).toEqual([
      "docs/deploy.md",
      "docs/deploy.md",
    ]);
  });

  it("build and run the tag the Kubernetes base deploys, the package's version", () => {
    const kustomization = readFileSync(
      new URL("../../deploy/kubernetes/kustomization.yaml", import.meta.url),
      "utf8",
    );
    expect(kustomization).toMatch(
      new RegExp(`^\\s+newTag: ${version.replace(/\./g, "\\.")}$`, "m"),
    );
    for (const { page, line } of docker("build")) {
      expect(line.match(/ -t (\S+)/)?.[1], `${page}: ${line}`).toBe(IMAGE);
    }
    const inline = PAGES.flatMap((page) =>
      [...readDoc(page).matchAll(/`docker build -t (\S+)/g)].map((m) => m[1]),
    );
    expect(
      inline.every((tag) => tag === IMAGE),
      inline.join(", "),
    ).toBe(true);
    for (const { page, line } of docker("run")) {
      expect(line, page).toContain(` ${IMAGE} `);
    }
  });

  it("publish the port on loopback only, as compose does", () => {
    for (const { page, line } of docker("run")) {
      const published = [...line.matchAll(/ (?:-p|--publish)[ =](\S+)/g)].map((m) => m[1]);
      expect(published, `${page}: ${line}`).toEqual(["127.0.0.1:9877:9877"]);
    }
  });

  it("leave the token file to its owner and give the container its group, no sudo chown", () => {
    for (const { page, line } of docker("run")) {
      if (!line.includes("/run/secrets/")) continue;
      expect(line, page).toContain('--group-add "$(id -g)"');
    }
    for (const page of PAGES) {
      expect(readDoc(page), page).not.toMatch(/sudo chown|chown 1000/);
    }
    const tokenLines = commands("docs/deploy.md").filter((line) => /> token\b/.test(line));
    expect(tokenLines).toEqual([expect.stringContaining("chmod 640 token")]);
  });
});

describe("the exporter's Node flags", () => {
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readDoc("Dockerfile"))?.[1] ?? "[]";
  const [node, ...args] = JSON.parse(entrypoint) as string[];
  const flags = args.filter((arg) => arg.startsWith("--"));
  const script = args.at(-1) ?? "";
  const { scripts } = JSON.parse(readDoc("package.json")) as { scripts: Record<string, string> };

  it("are the image's ENTRYPOINT's, a heap limit among them", () => {
    expect(node).toBe("node");
    expect(args).toEqual([...flags, script]);
    expect(flags).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
  });

  const env = [...readDoc("Dockerfile").matchAll(/^ENV (\w+=\S+)$/gm)].map((m) => m[1] ?? "");
  const malloc = env.filter((pair) => pair.startsWith("MALLOC_"));

  it("are npm start's too, with the image's malloc settings, so the host runs as the image does", () => {
    expect(env).toEqual(["NODE_ENV=production", "MALLOC_TRIM_THRESHOLD_=131072"]);
    expect(scripts["start"]).toBe(
      `${malloc.join(" ")} exec node ${flags.join(" ")} ${posix.relative("/app", script)}`,
    );
  });
});
