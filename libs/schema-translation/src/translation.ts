/**
 * A translated message and the conversation it belongs to (which version 1
 * carries in the AMQP correlationId only), or why the message could not be
 * translated: it is then dead-lettered with the reason.
 */
export type Translation<M> = { ok: true; message: M; conversationId: string } | { ok: false; reason: string };

/** What a translation may not decide for itself: the new message's id and the time. */
export interface Minted {
  id: string;
  now: Date;
}
