/**
 * File uploads from a plain HTML form (multipart/form-data), read with the platform's own
 * parser (the Fetch API's FormData), so a school's file goes up without any script. Text fields
 * and each file's text become the form body the pages already read; a file larger than the limit
 * is refused with 413 before it is parsed.
 */
import type { RequestHandler } from 'express';

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
      for (const [name, value] of form.entries()) {
        body[name] = typeof value === 'string' ? value : await value.text();
      }
      req.body = body;
      next();
    } catch {
      next(Object.assign(new Error('unreadable form'), { status: 400, expose: true }));
    }
  };
}
