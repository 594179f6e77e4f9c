/**
 * A tiny static server for the production build, so end-to-end tests and
 * the benchmark need nothing else running. Serves `dist/` under `base`
 * (as `vite build --base` expects) and answers on a free local port.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".gz": "application/gzip",
  ".data": "application/octet-stream",
  ".tar": "application/x-tar",
};

export interface StaticServer {
  /** The page's address, ending in the base path. */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveBuild(
  dir: string,
  base = "/",
): Promise<StaticServer> {
  const root = resolve(dir);
  if (!existsSync(join(root, "index.html"))) {
    throw new Error(
      `${root}/index.html is missing: build the playground first (npm run build)`,
    );
  }
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(
      new URL(request.url ?? "/", "http://x").pathname,
    );
    if (!path.startsWith(base)) {
      response.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(base.length)));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) {
      file = join(root, "index.html");
    }
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
