import type { ServerMessage } from '@ad-race/contracts';
import { CustomerSockets, type Socket } from './customer-sockets';

class FakeSocket implements Socket {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: ServerMessage[] = [];
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
}

const error = (message: string): ServerMessage => ({ type: 'error', message });

describe('customer sockets', () => {
  it('sends a message to every socket of that customer and to no one else', () => {
    const sockets = new CustomerSockets();
    const anna1 = new FakeSocket();
    const anna2 = new FakeSocket();
    const ben = new FakeSocket();
    sockets.add('anna', anna1);
    sockets.add('anna', anna2);
    sockets.add('ben', ben);
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
    sockets.add('anna', socket);
    expect(socket.sent).toEqual([error('2'), error('3')]);
    const second = new FakeSocket();
    sockets.add('anna', second);
    expect(second.sent).toEqual([]);
  });

  it('forgets kept messages that are too old', () => {
    let now = 0;
    const sockets = new CustomerSockets({ mailboxMessages: 4, mailboxTtlMs: 1000, maxMailboxes: 10 }, () => now);
    sockets.send('anna', error('old'));
    now = 1001;
    const socket = new FakeSocket();
    sockets.add('anna', socket);
    expect(socket.sent).toEqual([]);
  });

  it('keeps mail for a bounded number of customers', () => {
    const sockets = new CustomerSockets({ mailboxMessages: 4, mailboxTtlMs: 1000, maxMailboxes: 2 });
    sockets.send('a', error('a'));
    sockets.send('b', error('b'));
    sockets.send('c', error('c'));
    const a = new FakeSocket();
    const c = new FakeSocket();
    sockets.add('a', a);
    sockets.add('c', c);
    expect(a.sent).toEqual([]);
    expect(c.sent).toEqual([error('c')]);
  });

  it('skips sockets that are closed or too far behind, and forgets removed ones', () => {
    const sockets = new CustomerSockets();
    const closed = Object.assign(new FakeSocket(), { readyState: 3 });
    const slow = Object.assign(new FakeSocket(), { bufferedAmount: 2 * 1024 * 1024 });
    const gone = new FakeSocket();
    sockets.add('anna', closed);
    sockets.add('anna', slow);
    sockets.add('anna', gone);
    sockets.remove('anna', gone);
    sockets.send('anna', error('x'));
    expect([closed.sent, slow.sent, gone.sent]).toEqual([[], [], []]);
    sockets.remove('anna', closed);
    sockets.remove('anna', slow);
    expect(sockets.connectedCustomers).toBe(0);
  });
});
