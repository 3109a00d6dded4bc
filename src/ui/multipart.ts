/**
 * File uploads from a plain HTML form (multipart/form-data), read with the platform's own
 * parser (the Fetch API's FormData), so a school's file goes up without any script. Text fields
 * and each file's text become the form body the pages already read, and each file's bytes stay
 * at hand (`uploadedBytes`), so the API reads their encoding itself; a file larger than the limit
 * is refused with 413 before it is parsed.
 */
import type { Request, RequestHandler } from 'express';
import { decodeSchoolFile } from '../school/encoding';

const uploads = new WeakMap<Request, Map<string, Uint8Array>>();

/** The bytes of the file uploaded in the field `name` of this request, as sent. */
export function uploadedBytes(req: Request, name: string): Uint8Array | undefined {
  return uploads.get(req)?.get(name);
}

export function multipartForm(limitBytes: number): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data')) return next();
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limitBytes) {
          next(Object.assign(new Error('upload too large'), { status: 413, expose: true }));
          return;
        }
        chunks.push(chunk);
      }
      const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.get('content-type') ?? '' } }).formData();
      const body: Record<string, string> = {};
      const files = new Map<string, Uint8Array>();
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') body[name] = value;
        else {
          const bytes = new Uint8Array(await value.arrayBuffer());
          files.set(name, bytes);
          body[name] = decodeSchoolFile(bytes).text;
        }
      }
      uploads.set(req, files);
      req.body = body;
      next();
    } catch {
      next(Object.assign(new Error('unreadable form'), { status: 400, expose: true }));
    }
  };
}
