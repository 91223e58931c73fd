import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import Negotiator from "negotiator";
import type { Exposition } from "../metrics/rendering.js";
import { secureHeaders } from "./responses.js";

/** Whether the client prefers gzip to identity: express's own negotiation (negotiator). */
export function wantsGzip(header: string | undefined): boolean {
  const headers = header === undefined ? {} : { "accept-encoding": header };
  return new Negotiator({ headers }).encoding(["gzip", "identity"]) === "gzip";
}

export type ScrapeWriter = (req: IncomingMessage, res: ServerResponse) => void;

/** The cached rendering, gzip when preferred; the last negotiation kept, as scrapers repeat it. */
export function scrapeWriter(exposition: Exposition): ScrapeWriter {
  let accept: string | undefined;
  let gzip = wantsGzip(undefined);
  // Weak: a rendering's headers never keep the rendering's bytes alive after the next poll.
  const headers = new WeakMap<Buffer, OutgoingHttpHeaders>();
  const plain = secureHeaders({
    "Content-Type": exposition.contentType,
    "Cache-Control": "no-store",
    Vary: "Accept-Encoding",
  });
  const zipped = { ...plain, "Content-Encoding": "gzip" };
  return (req, res) => {
    const header = req.headers["accept-encoding"];
    if (header !== accept) {
      accept = header;
      gzip = wantsGzip(header);
    }
    const body = gzip ? exposition.gzipped() : exposition.body();
    let bodyHeaders = headers.get(body);
    if (bodyHeaders === undefined) {
      bodyHeaders = { ...(gzip ? zipped : plain), "Content-Length": body.length };
      headers.set(body, bodyHeaders);
    }
    res.writeHead(200, bodyHeaders);
    res.end(body);
  };
}
