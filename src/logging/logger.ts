import { pino, type DestinationStream, type Logger } from "pino";
export type { Logger };

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "logfmt";

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

export function createLogger({ level, format, destination }: LoggerOptions): Logger {
  const out: DestinationStream = destination ?? pino.destination({ dest: 1, sync: true });
  const stream = format === "logfmt" ? { write: (line: string) => out.write(toLogfmt(line)) } : out;
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** Rewrites one pino JSON line as logfmt (`ts=... level=info msg="..." key=value`). */
export function toLogfmt(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, ...rest } = record;
  const pairs: [string, unknown][] = [
    ["ts", time],
    ["level", level],
    ["msg", msg],
  ];
  const fields = [...pairs, ...Object.entries(rest)].flatMap(([k, v]) =>
    v === undefined ? [] : [`${k}=${logfmtValue(v)}`],
  );
  return `${fields.join(" ")}\n`;
}

function logfmtValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}
