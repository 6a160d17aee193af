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
  it('sends a message to every socket of that customer and to no one else', () => {
    const sockets = new CustomerSockets();
    const anna1 = new FakeSocket();
    const anna2 = new FakeSocket();
    const ben = new FakeSocket();
    sockets.add('anna', 'session-of-anna', anna1);
    sockets.add('anna', 'session-of-anna', anna2);
    sockets.add('ben', 'session-of-ben', ben);
    sockets.send('anna', error('for anna'));
    expect(anna1.sent).toEqual([error('for anna')]);
    expect(anna2.sent).toEqual([error('for anna')]);
    expect(ben.sent).toEqual([]);
  });

  it('keeps the latest messages for a customer without a socket, for the next socket to open', () => {
    const sockets = new CustomerSockets({ mailboxMessages: 2, mailboxTtlMs: 1000, maxMailboxes: 10 });
    sockets.send('anna', error('1'));
    sockets.send('anna', error('2'));
    sockets.send('anna', error('3'));
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
    sockets.send('anna', error('old'));
    now = 1001;
    const socket = new FakeSocket();
    sockets.add('anna', 'session-of-anna', socket);
    expect(socket.sent).toEqual([]);
  });

  it('keeps mail for a bounded number of customers', () => {
    const sockets = new CustomerSockets({ mailboxMessages: 4, mailboxTtlMs: 1000, maxMailboxes: 2 });
    sockets.send('a', error('a'));
    sockets.send('b', error('b'));
    sockets.send('c', error('c'));
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
    sockets.send('anna', error('x'));
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
