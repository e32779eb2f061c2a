import type { STREAM_CALL_NAMES } from '../../../shared/ipc/names/streams';
import type { CoreFeature, FeatureDeps } from '../feature';

export type StreamsCallName = (typeof STREAM_CALL_NAMES)[number];

/**
 * The streams' slice of the contract: a consumer's acknowledgements and its closing of a stream. The core ends the
 * open streams itself before it closes any feature.
 */
export function createStreamsFeature(deps: FeatureDeps): CoreFeature<StreamsCallName> {
  const { streams } = deps;
  return {
    handlers: {
      'streams.ack': async (input, context) => ({ open: streams.ack(input.streamId, input.amount, context.client) }),
      'streams.close': async (input, context) => ({
        closed: await streams.close(input.streamId, 'closed by the technician', context.client),
      }),
    },
    async close() {},
  };
}
