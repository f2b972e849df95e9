import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/** What a request may carry: a bearer token, a JSON or form body, the panel cookie, the source address. */
export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded (the panel's sign-in form). */
  form?: Record<string, string>;
  cookie?: string;
  headers?: Record<string, string>;
  /** The client's own address (any of 127.0.0.0/8): who the balancer, and so the app, sees as the client. */
  localAddress?: string;
  /** A keep-alive agent, for clients that hold their connections; a fresh connection per request otherwise. */
  agent?: Agent;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  json: any;
  /** Which instance answered (HAProxy's X-Served-By), for answers through the balancer. */
  servedBy: string | undefined;
  /** `name=value` of the panel's session cookie when the answer set one. */
  cookie: string | undefined;
}

/** One HTTP request to `base` (an instance or the balancer); a network error rejects. */
export function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const url = new URL(path, base);
  const payload = options.form ? new URLSearchParams(options.form).toString() : options.body !== undefined ? JSON.stringify(options.body) : undefined;
  const headers: Record<string, string> = {
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.cookie ? { cookie: options.cookie } : {}),
    ...(payload !== undefined ? { 'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: options.agent ?? false, localAddress: options.localAddress },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('error', reject);
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const sid = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('stockpilot.sid='));
          const servedBy = res.headers['x-served-by'];
          resolve({ status: res.statusCode!, headers: res.headers, text, json, servedBy: typeof servedBy === 'string' ? servedBy : undefined, cookie: sid });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
