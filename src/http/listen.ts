// Serves a fetch handler on Node's HTTP server: listens (rejecting on EADDRINUSE and the like), and closes
// promptly. Shared by Tandem's server and the sandbox Jira.
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(fetch: (request: Request) => Response | Promise<Response>, options: { host: string; port: number }): Promise<Listening> {
  const server = createAdaptorServer({ fetch }) as ReturnType<typeof createAdaptorServer> & { keepAliveTimeout: number; headersTimeout: number; closeAllConnections?: () => void };
  // Idle keep-alive connections outlive a client's pause (Node's default of 5 s races clients that reuse them,
  // which shows as ECONNRESET); headers must be allowed a little longer than that.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A webhook burst opens hundreds of connections at once: Node's default backlog (511) drops the rest of the
    // SYNs, and the kernel retries them only after a second or more. The kernel caps this at somaxconn.
    server.listen({ port: options.port, host: options.host, backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive connections would hold the close for a minute: end them now.
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
