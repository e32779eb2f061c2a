import type { Client, ConnectConfig } from 'ssh2';

import type { AppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import type { ConnectContext } from './connectErrors';
import { closedBeforeLogin, connectError, isKeyParseError, keyFileError } from './connectErrors';
import { hostKeyRefusal } from './hostKeyGate';
import type { HostKeyOutcome } from './hostKeyGate';
import { errorMessage } from './oneLine';

/**
 * Connects `client` and settles once: resolves on 'ready' (authenticated), rejects with one AppError otherwise.
 * A refused host key wins over the generic handshake error ssh2 reports for it.
 */
export function handshake(
  client: Client,
  config: ConnectConfig,
  ctx: ConnectContext,
  hostKeyOutcome: () => HostKeyOutcome | undefined,
  logger: Logger,
): Promise<void> {
  // ssh2 may emit more than one error for a failed attempt; an EventEmitter without a listener would throw them.
  client.on('error', (error) => logger.debug('ssh client error', { error: errorMessage(error) }));

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: AppError): void => {
      if (settled) {
        return;
      }
      settled = true;
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('close', onClose);
      if (error === undefined) {
        resolve();
        return;
      }
      client.destroy();
      logger.debug('ssh connect failed', { code: error.code, error: error.message });
      reject(error);
    };
    const onReady = (): void => settle();
    const onError = (error: Error): void => {
      const outcome = hostKeyOutcome();
      settle((outcome && hostKeyRefusal(ctx.label, outcome)) ?? connectError(ctx, error));
    };
    const onClose = (): void => settle(closedBeforeLogin(ctx));

    client.once('ready', onReady);
    client.on('error', onError);
    client.once('close', onClose);
    try {
      client.connect(config);
    } catch (error) {
      settle(
        isKeyParseError(error)
          ? keyFileError(ctx.label, error, config.passphrase !== undefined)
          : connectError(ctx, error),
      );
    }
  });
}
