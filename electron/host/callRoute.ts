import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Envelope } from '../../shared/ipc/envelope';
import type { Logger } from '../core/ports/Logger';
import { CLIENT_HEADER } from '../../shared/ipc/faces';
import { readBody } from './readBody';
import { sendEnvelope, sendError } from './respond';

/** Who made the call, as far as the host can tell: the page's name for itself (see CLIENT_HEADER). */
export type Caller = { client?: string | undefined };

export type Dispatch = (name: unknown, input: unknown, caller: Caller) => Promise<Envelope<unknown>>;

/** A page's name for itself: a random id it sends with every call and on its event socket. */
export const CLIENT_ID = /^[A-Za-z0-9-]{8,64}$/;

/** One MiB: calls carry small JSON objects; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /api/call/<name>` once the caller is authenticated: parses the JSON body and hands name and input
 * to the core unchanged. The core validates both and answers with the envelope sent back as is.
 */
export async function handleCall(
  req: IncomingMessage,
  res: ServerResponse,
  rawName: string,
  dispatch: Dispatch,
  logger: Logger,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, 405, 'VALIDATION', 'Calls are made with POST');
    return;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.kind === 'aborted') {
    return;
  }
  if (body.kind === 'too-large') {
    // The rest of the body is not worth reading; close the connection once the answer is out.
    res.setHeader('Connection', 'close');
    sendError(res, 413, 'VALIDATION', `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    return;
  }
  let input: unknown;
  try {
    input = body.text.trim() === '' ? undefined : JSON.parse(body.text);
  } catch {
    sendError(res, 400, 'VALIDATION', 'Request body is not valid JSON');
    return;
  }
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    sendError(res, 400, 'VALIDATION', 'Call name is not valid');
    return;
  }
  const client = req.headers[CLIENT_HEADER];
  const caller: Caller = typeof client === 'string' && CLIENT_ID.test(client) ? { client } : {};
  try {
    sendEnvelope(res, 200, await dispatch(name, input, caller));
  } catch (error) {
    // dispatch answers envelopes and should never throw; if it does, the caller still gets one.
    logger.error('dispatch threw instead of answering an envelope', { call: name, error: String(error) });
    sendError(res, 500, 'INTERNAL', 'The workstation failed to answer this call');
  }
}
