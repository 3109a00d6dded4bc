/** Reading what Temporal stored: the payloads in a workflow history, as the server keeps them. */
import type { Payload } from '@temporalio/common';
import proto, { type temporal as protoTypes } from '@temporalio/proto';

const { temporal } = proto;
import { payloadKeyId } from '../../src/temporal/payloadCodec';

export interface FoundPayload {
  /** Where in the history, e.g. `events[0].workflowExecutionStartedEventAttributes.input.payloads[0]`. */
  path: string;
  eventType: string;
  payload: Payload;
}

/** @temporalio/proto's messages are reflection types: an instance names its type in `$type`. */
function isPayload(value: object): value is Payload {
  return (value as { $type?: unknown }).$type === temporal.api.common.v1.Payload;
}

/** Every Payload anywhere in the history (arguments, results, failures' encoded attributes, …). */
export function payloadsIn(history: protoTypes.api.history.v1.IHistory): FoundPayload[] {
  const found: FoundPayload[] = [];
  const walk = (value: unknown, path: string, eventType: string) => {
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
    if (isPayload(value)) {
      found.push({ path, eventType, payload: value });
      return;
    }
    for (const [key, child] of Object.entries(value)) walk(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, eventType);
  };
  (history.events ?? []).forEach((event, index) => {
    const type = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType);
    walk(event, `events[${index}]`, type);
  });
  return found;
}

/** The key id of each payload, or 'plain' for one that is not encrypted. */
export function keyIdsIn(history: protoTypes.api.history.v1.IHistory): string[] {
  return payloadsIn(history).map(({ payload }) => payloadKeyId(payload) ?? 'plain');
}
