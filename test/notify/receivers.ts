import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { verify } from '../../src/notify/signature.js';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The Standard Webhooks signature checked with the secret the test gave. */
  signed: boolean;
  at: number;
}

/**
 * A local HTTP receiver: records every request, checks its signature when given the secret, and
 * answers with what `answer` says (default 204).
 */
export async function httpReceiver(
  opts: {
    secret?: () => string | undefined;
    answer?: (r: Received, n: number) => { status: number; headers?: Record<string, string> };
  } = {},
) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const secret = opts.secret?.();
      const id = String(req.headers['webhook-id'] ?? '');
      const ts = Number(req.headers['webhook-timestamp'] ?? 0);
      const signed = !!secret && verify(secret, id, ts, body, String(req.headers['webhook-signature'] ?? ''));
      const r: Received = { path: req.url ?? '', headers: req.headers, body, signed, at: Date.now() };
      received.push(r);
      const a = opts.answer?.(r, received.length) ?? { status: 204 };
      res.writeHead(a.status, a.headers ?? {});
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A local SMTP server (the smtp-server package) keeping every message. */
export async function smtpReceiver() {
  const mails: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
