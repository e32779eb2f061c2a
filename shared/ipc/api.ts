import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './contract';

export type Unsubscribe = () => void;

/** What a face offers the renderer: one async method per call, and a subscription per event. */
export type WorkstationApi = {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): Unsubscribe;
};

/** The transport under a typed client: sends a call and returns the raw envelope. */
export type WorkstationBridge = {
  invoke(name: CallName, input: unknown): Promise<unknown>;
  subscribe(handler: (event: { name: string; payload: unknown }) => void): Unsubscribe;
};
