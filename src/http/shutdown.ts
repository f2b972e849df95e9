import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface ClosingServer {
  server: Server;
  /**
   * Stops accepting connections and lets the open ones finish: a request in
   * flight, or one that still arrives on a kept-alive connection, is answered
   * with `Connection: close` (its socket closes after the answer), idle
   * keep-alive sockets close at once, and whatever is still open after
   * `graceMs` is cut. Resolves once no connection is left, with how many
   * requests had to be cut.
   */
  close(graceMs: number): Promise<{ cut: number }>;
}

let draining = false;

/** True once the process has begun to shut down: `GET /api/ready` then answers 503 so a load balancer stops sending. */
export function isDraining(): boolean {
  return draining;
}

/** An HTTP server for `handler` that can shut down in bounded time, whatever its clients keep sending. */
export function createClosingServer(handler: RequestListener): ClosingServer {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    handler(req, res);
  });
  return {
    server,
    close(graceMs) {
      closing = true;
      draining = true;
      return new Promise((resolve) => {
        let cut = 0;
        const timer = setTimeout(() => {
          cut = inFlight.size;
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve({ cut });
        });
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        server.closeIdleConnections();
      });
    },
  };
}
