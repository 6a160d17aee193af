import type { ServerMessage } from '@ad-race/contracts';
import { CustomerSockets, type Socket } from './customer-sockets';

class FakeSocket implements Socket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: ServerMessage[] = [];
  closedWith: [number, string] | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
  }
}

const error = (message: string): ServerMessage => ({ type: 'error', message });

describe('customer sockets', () => {
  it('sends the answer to a page view to the socket that asked, and to no other', () => {
    const sockets = new CustomerSockets();
    const annaTab1 = new FakeSocket();
    const annaTab2 = new FakeSocket();
    const ben = new FakeSocket();
    sockets.add('anna', 'session-of-anna', annaTab1);
    sockets.add('anna', 'session-of-anna', annaTab2);
    sockets.add('ben', 'session-of-ben', ben);
    sockets.send({ socket: annaTab2 }, error('for anna’s second tab'));
    expect(annaTab1.sent).toEqual([]);
    expect(annaTab2.sent).toEqual([error('for anna’s second tab')]);
    expect(ben.sent).toEqual([]);
  });

  it('sends a session’s message (the login’s ad) to its oldest open socket only, not to the customer’s other sessions', () => {
    const sockets = new CustomerSockets();
    const otherDevice = new FakeSocket();
    const first = new FakeSocket();
    const second = new FakeSocket();
    sockets.add('anna', 'phone-session', otherDevice);
    sockets.add('anna', 'laptop-session', first);
    sockets.add('anna', 'laptop-session', second);
    sockets.send({ customerId: 'anna', sessionId: 'laptop-session' }, error('the login’s ad'));
    expect([otherDevice.sent, first.sent, second.sent]).toEqual([[], [error('the login’s ad')], []]);
  });

  it('keeps the latest messages for a session without a socket, for its first socket to open', () => {
    const sockets = new CustomerSockets({ mailboxMessages: 2, mailboxTtlMs: 1000, maxMailboxes: 10 });
    const to = { customerId: 'anna', sessionId: 'session-of-anna' };
    sockets.send(to, error('1'));
    sockets.send(to, error('2'));
    sockets.send(to, error('3'));
    const otherSession = new FakeSocket();
    sockets.add('anna', 'another-session-of-anna', otherSession);
    expect(otherSession.sent).toEqual([]);
    const socket = new FakeSocket();
    sockets.add('anna', 'session-of-anna', socket);
    expect(socket.sent).toEqual([error('2'), error('3')]);
    const second = new FakeSocket();
    sockets.add('anna', 'session-of-anna', second);
    expect(second.sent).toEqual([]);
  });

  it('forgets kept messages that are too old', () => {
    let now = 0;
    const sockets = new CustomerSockets({ mailboxMessages: 4, mailboxTtlMs: 1000, maxMailboxes: 10 }, () => now);
    sockets.send({ customerId: 'anna', sessionId: 'session-of-anna' }, error('old'));
    now = 1001;
    const socket = new FakeSocket();
    sockets.add('anna', 'session-of-anna', socket);
    expect(socket.sent).toEqual([]);
  });

  it('keeps mail for a bounded number of sessions', () => {
    const sockets = new CustomerSockets({ mailboxMessages: 4, mailboxTtlMs: 1000, maxMailboxes: 2 });
    sockets.send({ customerId: 'a', sessionId: 'session-of-a' }, error('a'));
    sockets.send({ customerId: 'b', sessionId: 'session-of-b' }, error('b'));
    sockets.send({ customerId: 'c', sessionId: 'session-of-c' }, error('c'));
    const a = new FakeSocket();
    const c = new FakeSocket();
    sockets.add('a', 'session-of-a', a);
    sockets.add('c', 'session-of-c', c);
    expect(a.sent).toEqual([]);
    expect(c.sent).toEqual([error('c')]);
  });

  it('skips sockets that are closed or too far behind, and forgets removed ones', () => {
    const sockets = new CustomerSockets();
    const closed = Object.assign(new FakeSocket(), { readyState: 3 });
    const slow = Object.assign(new FakeSocket(), { bufferedAmount: 2 * 1024 * 1024 });
    const gone = new FakeSocket();
    sockets.add('anna', 'session-of-anna', closed);
    sockets.add('anna', 'session-of-anna', slow);
    sockets.add('anna', 'session-of-anna', gone);
    sockets.remove('anna', gone);
    for (const socket of [closed, slow]) sockets.send({ socket }, error('x'));
    sockets.send({ customerId: 'anna', sessionId: 'session-of-anna' }, error('y'));
    expect([closed.sent, slow.sent, gone.sent]).toEqual([[], [], []]);
    sockets.remove('anna', closed);
    sockets.remove('anna', slow);
    expect(sockets.connectedCustomers).toBe(0);
  });

  it('closes the sockets of one session, and only those', () => {
    const sockets = new CustomerSockets();
    const phone = new FakeSocket();
    const laptop = new FakeSocket();
    sockets.add('anna', 'phone-session', phone);
    sockets.add('anna', 'laptop-session', laptop);
    sockets.closeSession('anna', 'phone-session', 1008, 'logged out');
    expect(phone.closedWith).toEqual([1008, 'logged out']);
    expect(laptop.closedWith).toBeNull();
  });
});
