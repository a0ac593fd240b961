import nodemailer, { type Transporter } from 'nodemailer';
import type { ActivityEvent } from '../store/activity.js';
import type { Subscription } from '../store/subscriptions.js';
import type { Message } from './messages.js';
import { type OutboundOptions, requestOutbound } from './outbound.js';
import { judge, parseRetryAfter } from './retry.js';
import { webhookHeaders } from './signature.js';

/** One delivery to make: the event (null for a test) and its message. */
export interface Outgoing {
  deliveryId: string;
  sub: Subscription;
  /** The webhook's signing secret. */
  secret: string | null;
  event: ActivityEvent | null;
  message: Message;
}

/** How one attempt went. */
export interface Sent {
  outcome: 'delivered' | 'gone' | 'retry';
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
}

export interface ChannelOptions extends OutboundOptions {
  /** smtp://user:pass@host:port (or smtps://); e-mail subscriptions need it. */
  smtpUrl?: string;
  /** The sender of e-mails. */
  smtpFrom?: string;
  timeoutMs?: number;
  now?: () => number;
}

/** The body of a webhook: Standard Webhooks' { type, timestamp, data }. */
export function webhookBody(o: Pick<Outgoing, 'event' | 'message'>, now: number): string {
  if (o.event === null)
    return JSON.stringify({
      type: 'keyward.test',
      timestamp: new Date(now).toISOString(),
      data: { message: o.message.text, url: o.message.url },
    });
  return JSON.stringify({ type: o.event.type, timestamp: new Date(o.event.at).toISOString(), data: o.event });
}

const failure = (e: unknown): Sent => ({
  outcome: 'retry',
  statusCode: null,
  // The error's own words (a refused connection, a time-out): never from a request with a code.
  error: ((e as Error)?.message ?? String(e)).slice(0, 300),
  retryAfterMs: null,
});

/** Sends deliveries over their channels. One per notifier; holds the SMTP connection pool. */
export class Channels {
  readonly #o: ChannelOptions;
  #mail: Transporter | null = null;

  constructor(opts: ChannelOptions) {
    this.#o = opts;
  }

  async send(o: Outgoing): Promise<Sent> {
    try {
      if (o.sub.channel === 'webhook') return await this.#webhook(o);
      if (o.sub.channel === 'ntfy') return await this.#ntfy(o);
      return await this.#email(o);
    } catch (e) {
      return failure(e);
    }
  }

  async #http(url: string, headers: Record<string, string>, body: string): Promise<Sent> {
    const now = (this.#o.now ?? Date.now)();
    const res = await requestOutbound(
      url,
      { method: 'POST', headers, body, timeoutMs: this.#o.timeoutMs ?? 15_000, maxBytes: 64 * 1024 },
      this.#o,
    );
    const outcome = judge(res.status);
    const retryAfter = res.headers['retry-after'];
    return {
      outcome,
      statusCode: res.status,
      error: outcome === 'delivered' ? null : `the receiver answered ${res.status}`,
      retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, now),
    };
  }

  #webhook(o: Outgoing): Promise<Sent> {
    const now = (this.#o.now ?? Date.now)();
    const body = webhookBody(o, now);
    return this.#http(
      o.sub.target,
      webhookHeaders(o.secret ?? '', o.deliveryId, Math.floor(now / 1000), body),
      body,
    );
  }

  /** ntfy: the message as the body, its title and link as headers (https://docs.ntfy.sh/publish/). */
  #ntfy(o: Outgoing): Promise<Sent> {
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      // Header values must be Latin-1: the title is sent RFC 2047-encoded when it is not.
      title: /^[\x20-\x7e]*$/.test(o.message.title)
        ? o.message.title
        : `=?UTF-8?B?${Buffer.from(o.message.title).toString('base64')}?=`,
      click: o.message.url,
      tags: o.event?.type === 'code.failed' || o.event?.type === 'battery.low' ? 'warning' : 'key',
    };
    return this.#http(o.sub.target, headers, o.message.text);
  }

  async #email(o: Outgoing): Promise<Sent> {
    if (!this.#o.smtpUrl)
      return {
        outcome: 'retry',
        statusCode: null,
        error: 'no mail server is set up (--smtp-url)',
        retryAfterMs: null,
      };
    this.#mail ??= nodemailer.createTransport(this.#o.smtpUrl, {
      from: this.#o.smtpFrom ?? 'keyward@localhost',
    });
    await this.#mail.sendMail({
      to: o.sub.target,
      subject: o.message.title,
      text: `${o.message.text}\n\n${o.message.url}\n`,
    });
    return { outcome: 'delivered', statusCode: null, error: null, retryAfterMs: null };
  }

  close(): void {
    this.#mail?.close();
    this.#mail = null;
  }
}
