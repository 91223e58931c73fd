/**
 * Type-checks dashboard JSON against @grafana/schema's Dashboard type with the TypeScript compiler,
 * since no Grafana runs here. Each dashboard becomes a virtual module holding its JSON as an object
 * literal `satisfies` the type, so that TypeScript also reports fields the type does not know.
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Grafana's schema declares its string-valued settings (ThresholdsMode, MappingType,
 * FieldColorModeId) as TypeScript string enums, which a JSON string can never be: this takes each
 * such enum as the union of its values. Numbers, booleans and every other type stay as they are.
 */
const PRELUDE = `
import type { Dashboard } from "@grafana/schema";
type AsJson<T> = T extends string
  ? string extends T ? string : \`\${T}\`
  : T extends readonly (infer U)[]
    ? AsJson<U>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;
export type JsonDashboard = AsJson<Dashboard>;
`;

/** "line N `text`" of a position in a virtual module, N counted in the JSON (the module adds a line above it). */
function where(file: ts.SourceFile, start: number): string {
  const { line } = file.getLineAndCharacterOfPosition(start);
  const text = file.text.split("\n")[line]?.trim() ?? "";
  return `line ${line} \`${text.slice(0, 120)}\``;
}

/** The type errors of each dashboard, by its name: none when it satisfies Dashboard. */
export function dashboardTypeErrors(dashboards: Record<string, string>): Record<string, string[]> {
  const files = new Map<string, string>([[`${ROOT}test/grafana-schema-prelude.ts`, PRELUDE]]);
  const names = new Map<string, string>();
  for (const [name, json] of Object.entries(dashboards)) {
    const path = `${ROOT}test/grafana-schema-${names.size}.ts`;
    names.set(path, name);
    files.set(
      path,
      `import type { JsonDashboard } from "./grafana-schema-prelude.js";\n` +
        `export const dashboard = (${json.trim()}) satisfies JsonDashboard;\n`,
    );
  }
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const disk = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...disk,
    fileExists: (path) => files.has(path) || disk.fileExists(path),
    readFile: (path) => files.get(path) ?? disk.readFile(path),
    getSourceFile: (path, language, ...rest) => {
      const text = files.get(path);
      return text === undefined
        ? disk.getSourceFile(path, language, ...rest)
        : ts.createSourceFile(path, text, language);
    },
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: Record<string, string[]> = Object.fromEntries(
    Object.keys(dashboards).map((name) => [name, []]),
  );
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const { file, start } = diagnostic;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const name = names.get(file?.fileName ?? "");
    // A problem outside the dashboards (the prelude, the package) fails every one of them.
    for (const key of name === undefined ? Object.keys(errors) : [name])
      errors[key]?.push(
        file && start !== undefined ? `${where(file, start)}: ${message}` : message,
      );
  }
  return errors;
}
