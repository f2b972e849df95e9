import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

export interface ShutdownTimes {
  /** How long the server keeps serving as usual, only answering not-ready, so a load balancer stops sending. */
  graceMs: number;
  /** After the grace period: how long in-flight requests may still run before their connections are cut. */
  drainMs: number;
}

export interface ClosingServer {
  server: Server;
  /**
   * Shuts down in bounded time, whatever the clients keep sending. First the
   * instance turns not-ready (`GET /api/ready` answers 503) and keeps serving
   * everything else as usual for `graceMs`, new connections included. Then it
   * stops accepting connections: a request in flight, or one that still
   * arrives on a kept-alive connection, is answered with `Connection: close`
   * (its socket closes after the answer), idle keep-alive sockets close at
   * once, and whatever is still open after `drainMs` is cut. Resolves once no
   * connection is left, with how many requests had to be cut.
   */
  close(times: ShutdownTimes): Promise<{ cut: number }>;
}

let draining = false;

/** True once the process has begun to shut down: `GET /api/ready` then answers 503 so a load balancer stops sending. */
export function isDraining(): boolean {
  return draining;
}

/** An HTTP server for `handler` that can shut down in bounded time, a load balancer in front having been told first. */
export function createClosingServer(handler: RequestListener): ClosingServer {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    handler(req, res);
  });
  const stopAccepting = (drainMs: number) =>
    new Promise<{ cut: number }>((resolve) => {
      closing = true;
      let cut = 0;
      const timer = setTimeout(() => {
        cut = inFlight.size;
        server.closeAllConnections();
      }, drainMs);
      server.close(() => {
        clearTimeout(timer);
        resolve({ cut });
      });
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      server.closeIdleConnections();
    });
  return {
    server,
    async close({ graceMs, drainMs }) {
      draining = true;
      if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
      return stopAccepting(drainMs);
    },
  };
}
