import type { ChannelModel } from 'amqplib';
import { coalesceWrites } from './coalesce-writes';

/** A connection shaped as amqplib's: a socket that records its writes, and a multiplexer that writes three frames a turn. */
function fakeModel() {
  const log: string[] = [];
  let corked = 0;
  const stream = {
    cork: () => void corked++,
    uncork: () => {
      corked--;
      if (corked === 0) log.push('flushed');
    },
    write: (frame: string) => log.push(corked > 0 ? `${frame} (held)` : `${frame} (sent)`),
  };
  const muxer = {
    _readIncoming() {
      for (const frame of ['publish', 'publish', 'ack']) stream.write(frame);
    },
  };
  return { model: { connection: { stream, muxer } } as unknown as ChannelModel, muxer, log };
}

describe('coalescing a turn’s writes', () => {
  it('holds the frames the multiplexer writes in one turn, and sends them together', () => {
    const { model, muxer, log } = fakeModel();
    expect(coalesceWrites(model)).toBe(true);
    muxer._readIncoming();
    expect(log).toEqual(['publish (held)', 'publish (held)', 'ack (held)', 'flushed']);
  });

  it('changes nothing, and says so, when amqplib is not shaped as it expects', () => {
    expect(coalesceWrites({ connection: { stream: {} } } as unknown as ChannelModel)).toBe(false);
    expect(coalesceWrites({} as unknown as ChannelModel)).toBe(false);
  });
});
