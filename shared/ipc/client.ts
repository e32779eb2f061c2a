import { AppError, deserializeError, type SerializedAppError } from '../errors/AppError';
import type { WorkstationApi, WorkstationBridge } from './api';
import { EVENT_NAMES } from './contract';
import { EnvelopeSchema } from './envelope';

/** Wraps a bridge (Electron preload or browser host) into the typed API; error envelopes become AppErrors. */
export function createWorkstationClient(bridge: WorkstationBridge): WorkstationApi {
  return {
    async call(name, input) {
      const raw = await bridge.invoke(name, input);
      const envelope = EnvelopeSchema.safeParse(raw);
      if (!envelope.success) {
        throw new AppError('INTERNAL', `Malformed reply to ${name}`);
      }
      if (!envelope.data.ok) {
        throw deserializeError(envelope.data.error as SerializedAppError);
      }
      // The core validated this value against the contract's output schema before sending it.
      return envelope.data.value as never;
    },
    on(event, handler) {
      return bridge.subscribe((message) => {
        if (message.name === event && (EVENT_NAMES as string[]).includes(message.name)) {
          // Events were validated against the contract where the core emitted them.
          (handler as (payload: unknown) => void)(message.payload);
        }
      });
    },
  };
}
