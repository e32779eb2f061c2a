import type { ClientChannel } from 'ssh2';

/** The parts of ssh2 1.17's channel internals needed to send a signal request; checked at run time, not trusted. */
type ChannelInternals = {
  outgoing?: { id?: unknown; state?: unknown };
  _client?: { _protocol?: { signal?: unknown } };
};

/**
 * Asks sshd to send `signalName` to the command's process group. ssh2's public `signal()` refuses once stdin has
 * been ended (it checks `writable`), although SSH allows the request on any open channel, and exec always ends
 * stdin. So the request goes through ssh2's protocol object while the channel is still open.
 */
function sendSignal(channel: ClientChannel, signalName: string): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const state = internals.outgoing?.state;
  const protocol = internals._client?._protocol;
  if (typeof id === 'number' && (state === 'open' || state === 'eof') && typeof protocol?.signal === 'function') {
    (protocol.signal as (channelId: number, name: string) => void).call(protocol, id, signalName);
    return;
  }
  channel.signal(signalName);
}

/**
 * Stops the remote command as well as the channel: sshd keeps a session (and counts it against MaxSessions) until
 * its process exits, so closing the channel alone would leave a `sleep 600` running for ten minutes.
 * TERM rather than KILL: sudo relays TERM to the root command it started, while KILL would orphan it.
 */
export function stopChannel(channel: ClientChannel): void {
  try {
    sendSignal(channel, 'TERM');
    channel.close();
  } catch {
    // The channel or the connection is already gone; nothing is left to stop.
  }
}

/**
 * Ends an interactive shell as closing a terminal does: HUP, which an interactive shell obeys (it ignores TERM) and
 * passes on to its jobs; closing the channel then closes the pseudo-terminal, which hangs up the rest.
 */
export function hangUpChannel(channel: ClientChannel): void {
  try {
    sendSignal(channel, 'HUP');
    channel.close();
  } catch {
    // The channel or the connection is already gone; nothing is left to stop.
  }
}
