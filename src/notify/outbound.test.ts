import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertOutboundUrl, requestOutbound } from './outbound.js';

describe('calling outbound addresses', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses a name that resolves to this machine unless private addresses are allowed', async () => {
    await expect(requestOutbound(`http://localhost:${port}/`, {}, { allowPrivate: false })).rejects.toThrow(
      /allow-private-urls/,
    );
    await expect(assertOutboundUrl(`http://localhost:${port}/`, { allowPrivate: false })).rejects.toThrow(
      /allow-private-urls/,
    );
  });

  it('checks the address the socket connects to, not only the text', async () => {
    // 127.1 is normalised by the URL parser; the socket's own lookup is checked as well.
    await expect(requestOutbound(`http://127.1:${port}/`, {}, { allowPrivate: false })).rejects.toThrow(
      /allow-private-urls/,
    );
  });

  it('calls a loopback receiver when private addresses are allowed', async () => {
    const res = await requestOutbound(`http://localhost:${port}/`, {}, { allowPrivate: true });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
  });

  it('cuts off an answer larger than the cap', async () => {
    await expect(
      requestOutbound(`http://127.0.0.1:${port}/`, { maxBytes: 2 }, { allowPrivate: true }),
    ).rejects.toThrow(/larger than/);
  });
});
