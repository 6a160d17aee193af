import type { ServerMessage } from '@ad-race/contracts';

/** The part of a WebSocket this needs (the `ws` package's shape). */
export interface Socket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code: number, reason: string): void;
}

const OPEN = 1;
/** A socket this far behind is skipped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Sends a message to one socket, unless it is closed or too far behind to take more. */
export function sendTo(socket: Socket, message: ServerMessage | string): void {
  if (socket.readyState === OPEN && socket.bufferedAmount < MAX_BUFFERED_BYTES) {
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
}

/**
 * Where a race's ad and summary go: the socket whose page view asked for them
 * (one tab, one device), or, for the ad a login asks for before its page has a
 * socket, the first socket that session opens.
 */
export type Recipient = { socket: Socket } | { customerId: string; sessionId: string };

interface Mailbox {
  messages: string[];
  keptAt: number;
}

/**
 * Which sockets belong to which customer and session, so that an ad goes to
 * the page that asked for it and to no other. Messages for a session that has
 * no socket open yet (the ad for the login, which races the page's WebSocket)
 * wait in a small mailbox, delivered when the session's first socket opens.
 */
export class CustomerSockets {
  /** Customer id -> that customer's open sockets, oldest first, each with the id of the session that opened it. */
  private readonly sockets = new Map<string, Map<Socket, string>>();
  /** Session id -> the messages waiting for its first socket. */
  private readonly mailboxes = new Map<string, Mailbox>();

  constructor(
    private readonly options = { mailboxMessages: 4, mailboxTtlMs: 30_000, maxMailboxes: 10_000 },
    private readonly clock: () => number = Date.now,
  ) {}

  get connectedCustomers(): number {
    return this.sockets.size;
  }

  /** How many sockets this customer has open. */
  count(customerId: string): number {
    return this.sockets.get(customerId)?.size ?? 0;
  }

  add(customerId: string, sessionId: string, socket: Socket): void {
    let open = this.sockets.get(customerId);
    if (!open) this.sockets.set(customerId, (open = new Map()));
    open.set(socket, sessionId);
    const mailbox = this.mailboxes.get(sessionId);
    this.mailboxes.delete(sessionId);
    if (mailbox && this.clock() - mailbox.keptAt <= this.options.mailboxTtlMs) {
      for (const data of mailbox.messages) sendTo(socket, data);
    }
  }

  remove(customerId: string, socket: Socket): void {
    const open = this.sockets.get(customerId);
    if (!open) return;
    open.delete(socket);
    if (open.size === 0) this.sockets.delete(customerId);
  }

  /** Closes the sockets one session opened (the customer logged out); their close events remove them. */
  closeSession(customerId: string, sessionId: string, code: number, reason: string): void {
    for (const [socket, id] of this.sockets.get(customerId) ?? []) if (id === sessionId) socket.close(code, reason);
  }

  /**
   * Sends to the recipient: its socket (if it has closed since, the message is
   * dropped), or the session's oldest open socket, or keeps it for the session's first.
   */
  send(to: Recipient, message: ServerMessage): void {
    const data = JSON.stringify(message);
    if ('socket' in to) return sendTo(to.socket, data);
    const first = this.firstSocketOf(to.customerId, to.sessionId);
    if (first) sendTo(first, data);
    else this.keep(to.sessionId, data);
  }

  private firstSocketOf(customerId: string, sessionId: string): Socket | undefined {
    for (const [socket, id] of this.sockets.get(customerId) ?? []) if (id === sessionId && socket.readyState === OPEN) return socket;
    return undefined;
  }

  private keep(sessionId: string, data: string): void {
    const now = this.clock();
    let mailbox = this.mailboxes.get(sessionId);
    if (!mailbox || now - mailbox.keptAt > this.options.mailboxTtlMs) {
      this.mailboxes.delete(sessionId);
      mailbox = { messages: [], keptAt: now };
      this.mailboxes.set(sessionId, mailbox);
      if (this.mailboxes.size > this.options.maxMailboxes) this.mailboxes.delete(this.mailboxes.keys().next().value!);
    }
    mailbox.messages.push(data);
    if (mailbox.messages.length > this.options.mailboxMessages) mailbox.messages.shift();
  }
}
