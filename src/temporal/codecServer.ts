/**
 * Temporal's remote codec protocol, for the Temporal Web UI and CLI (`--codec-endpoint`): they
 * show encrypted payloads as ciphertext unless they can send them here to be decoded.
 *
 *   POST <mount>/decode   { "payloads": [{ "metadata": { "<key>": "<base64>" }, "data": "<base64>" }] }
 *   POST <mount>/encode   (same shape; the UI encodes what a person types, e.g. an update's input)
 *
 * Both answer the same shape (proto3 JSON of temporal.api.common.v1.Payloads: every bytes field,
 * metadata values included, is base64). The browser adds `X-Namespace`; one keyring serves every
 * namespace here, so it is not needed.
 *
 * A decryption oracle for whoever may call it: mount it behind admin-only authentication (and the
 * CORS the UI's origin needs). Its own JSON parser allows payload-sized bodies (Temporal allows
 * payloads of up to 2 MB); an app-wide `express.json()` that runs first sets the limit instead.
 */
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS package whose named exports Node's ESM loader cannot see: use its default export.
import proto from '@temporalio/proto';
import { z } from 'zod';
import { sendDomainError } from '../domain/problems';
import { parseWith } from '../domain/validation';
import { PayloadDecryptionError } from './payloadCodec';

export interface CodecRouterOptions {
  /** The service's codec: `caseDataConverter(keyring).payloadCodecs`, or `new EncryptionCodec(keyring)`. */
  codec: PayloadCodec | readonly PayloadCodec[];
  /** Largest request body (express.json's `limit`). Default 8 MB. */
  bodyLimit?: string | number;
  /** Most payloads in one request. Default 1000. */
  maxPayloads?: number;
}

const ProtoPayload = proto.temporal.api.common.v1.Payload;

/** Standard or URL-safe base64 (proto3 JSON allows both), padded or not. */
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

const jsonPayload = z
  .object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })
  // Other Payload fields (e.g. externalPayloads) pass through to the proto untouched.
  .loose();
type JsonPayload = z.infer<typeof jsonPayload>;

function requestBody(maxPayloads: number) {
  return z.object({ payloads: z.array(jsonPayload).max(maxPayloads, `at most ${maxPayloads} payloads per request`) }).loose();
}

const fromBase64 = (text: string): Buffer => Buffer.from(text, 'base64');

function fromJson({ metadata, data, ...rest }: JsonPayload): Payload {
  return ProtoPayload.fromObject({
    ...rest,
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, fromBase64(value)])),
    data: fromBase64(data ?? ''),
  });
}

function toJson(payload: Payload): Record<string, unknown> {
  const json = ProtoPayload.toObject(ProtoPayload.fromObject(payload), { bytes: String, longs: String, enums: String, json: true });
  return { metadata: {}, data: '', ...json };
}

/** Encode runs the codecs in order, decode in reverse (as the SDK's DataConverter does). */
function pipeline(codecs: readonly PayloadCodec[]) {
  return {
    encode: async (payloads: Payload[]) => {
      for (const codec of codecs) payloads = await codec.encode(payloads);
      return payloads;
    },
    decode: async (payloads: Payload[]) => {
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return payloads;
    },
  };
}

/**
 * The codec endpoint as an express Router: mount it where the UI is told to look, e.g.
 * `app.use('/codec', requireAdmin, cors(…), codecRouter({ codec }))` and start the UI with
 * `--ui-codec-endpoint https://…/codec`.
 */
export function codecRouter(options: CodecRouterOptions): Router {
  const codecs = Array.isArray(options.codec) ? (options.codec as readonly PayloadCodec[]) : [options.codec as PayloadCodec];
  const run = pipeline(codecs);
  const schema = requestBody(options.maxPayloads ?? 1000);
  const router = Router();
  router.use(express.json({ limit: options.bodyLimit ?? '8mb' }));

  const handle =
    (direction: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      const parsed = parseWith(schema, req.body);
      if (!parsed.ok) {
        return sendDomainError(res, parsed.error);
      }
      const payloads = parsed.value.payloads.map(fromJson);
      const result = await run[direction](payloads);
      res.json({ payloads: result.map(toJson) });
    };

  router.post('/decode', handle('decode'));
  router.post('/encode', handle('encode'));
  router.all(['/decode', '/encode'], (req, res, next) => {
    // Preflight belongs to the CORS middleware in front; anything else but POST is refused.
    if (req.method === 'OPTIONS') return next();
    sendDomainError(res, { code: 'method_not_allowed', detail: 'use POST', allow: ['POST'] });
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const bodyParserType = (error as { type?: unknown }).type;
    if (bodyParserType === 'entity.parse.failed') {
      return sendDomainError(res, { code: 'invalid_input', detail: 'the body is not valid JSON', errors: [{ path: '(body)', message: 'is not valid JSON' }] });
    }
    if (bodyParserType === 'entity.too.large') {
      return sendDomainError(res, { code: 'payload_too_large', detail: 'the body is larger than this endpoint accepts' });
    }
    if (error instanceof PayloadDecryptionError) {
      // Its message names the key id only.
      return sendDomainError(res, { code: 'payload_not_decryptable', detail: error.message });
    }
    // Anything else may carry what it was working on: no message goes out.
    return sendDomainError(res, { code: 'internal', detail: 'the payloads could not be converted' });
  };
  router.use(onError);
  return router;
}
