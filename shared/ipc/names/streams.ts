/** The stream calls and events, schema-free (the preload bundles these). Keep in step with contracts/streams.ts. */
export const STREAM_CALL_NAMES = ['streams.ack', 'streams.close'] as const;
export const STREAM_EVENT_NAMES = ['streams.ended'] as const;
