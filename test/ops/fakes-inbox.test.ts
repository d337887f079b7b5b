/**
 * The fakes' combined inbox page (fakes/inbox-page.ts): every registered fake's latest records on one page
 * and as JSON, a fake registered after the start included, a fake that does not answer named as such.
 */
import { startPaymentGateway } from '../../fakes/payment-gateway';
import type { StartedFake } from '../../fakes/fake-server';
import { startInboxPage, type FakeInbox } from '../../fakes/inbox-page';
import express from 'express';
import { listenFake } from '../../fakes/fake-server';
import { freePort } from '../support/gateway';

describe('the fakes inbox page', () => {
  const started: Array<StartedFake<unknown>> = [];
  afterAll(async () => {
    await Promise.all(started.map((fake) => fake.close()));
  });

  it('when fakes have records, then the page and its JSON show each fake’s newest records, escaped, and a fake that does not answer is named', async () => {
    const payment = await startPaymentGateway({});
    started.push(payment);
    payment.state.charges.push({ orderId: 'order-42', amount: 1000 } as never);
    // A fake added later (as another fake's one registration line would) with a record holding markup.
    const sms = express();
    sms.get('/__inbox', (_req, res) => {
      res.json({ messages: [{ to: '01012345678', code: '123456', text: '<b>[Voltmall] 123456</b>' }] });
    });
    const smsFake = await listenFake(sms, () => undefined, {}, {});
    started.push(smsFake);

    const inboxes: FakeInbox[] = [
      { name: 'payment-gateway', url: payment.url, about: 'charges, keyed order-<id>' },
    ];
    const page = await startInboxPage(inboxes, {});
    started.push(page);
    inboxes.push({ name: 'sms-provider', url: smsFake.url, about: 'texts with codes' });
    inboxes.push({ name: 'gone', url: `http://127.0.0.1:${await freePort()}`, about: 'not running' });

    const html = await fetch(`${page.url}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await html.text();
    expect(text).toContain('order-42');
    expect(text).toContain('charges, keyed order-&lt;id&gt;');
    expect(text).toContain('<td class="code">123456</td>');
    expect(text).toContain('&lt;b&gt;[Voltmall] 123456&lt;/b&gt;');
    expect(text).not.toContain('<b>[Voltmall]');
    expect(text).toMatch(/gone[\s\S]*not answering/);
    // Self-contained: nothing fetched from elsewhere.
    expect(text).not.toMatch(/<script|<link|src=/);

    const json = await fetch(`${page.url}/inbox.json`);
    expect(json.status).toBe(200);
    const raw = await json.text();
    expect(raw.endsWith('\n')).toBe(true);
    const body = JSON.parse(raw) as { fakes: Array<Record<string, unknown>> };
    expect(body.fakes.map((fake) => fake.name)).toEqual(['payment-gateway', 'sms-provider', 'gone']);
    expect(body.fakes[0]).toMatchObject({ records: { charges: [{ orderId: 'order-42' }], refunds: [] } });
    expect(body.fakes[1]).toMatchObject({ records: { messages: [{ code: '123456' }] } });
    expect(body.fakes[2]).toMatchObject({ error: expect.any(String) });
    expect(body.fakes[2]!.records).toBeUndefined();

    const accepted = await fetch(`${page.url}/`, { headers: { accept: 'application/json' } });
    expect((await accepted.json()) as unknown).toEqual({ fakes: expect.any(Array) });
    expect((await fetch(`${page.url}/nope`)).status).toBe(404);
  });
});
