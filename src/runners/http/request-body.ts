/**
 * Encodes the `body` / `file_*` action parameters the way StackStorm's http runner (through
 * Python requests) does: JSON when the Content-Type header says so, a form for an object body,
 * multipart when a file is attached, the text itself otherwise.
 */
import { randomBytes } from 'node:crypto';
import type { Json } from '../../domain/types.ts';
import { pyStr } from '../shared/python-str.ts';

export interface FileUpload {
  name: string;
  content: string;
  contentType: string | undefined;
}

export interface EncodedBody {
  bytes: Buffer | undefined;
  /** A Content-Type to add when the caller set none. */
  contentType: string | undefined;
}

/** @param jsonContent the request's Content-Type header is exactly `application/json` */
export function encodeBody(
  body: Json | undefined,
  jsonContent: boolean,
  file: FileUpload | undefined,
): EncodedBody {
  let data: Json | undefined = body ?? undefined;
  if (jsonContent && data !== undefined) {
    // StackStorm decodes a string body first, so `'{"a": 1}'` is sent as the object it spells.
    if (typeof data === 'string') {
      try {
        data = JSON.parse(data) as Json;
      } catch {
        throw new Error(`Request body (${data}) can't be parsed as JSON`);
      }
    }
    data = JSON.stringify(data);
  }
  if (file) return multipart(data, file);
  if (data === undefined || data === null || data === '') return { bytes: undefined, contentType: undefined };
  if (isPlainObject(data)) {
    return { bytes: Buffer.from(formEncode(data)), contentType: 'application/x-www-form-urlencoded' };
  }
  return { bytes: Buffer.from(pyStr(data), 'utf8'), contentType: undefined };
}

function isPlainObject(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Python's urlencode with doseq: lists repeat the key, None values are dropped. */
export function formEncode(fields: { [key: string]: Json }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, pyStr(item));
  }
  return params.toString();
}

function multipart(data: Json | undefined, file: FileUpload): EncodedBody {
  if (typeof data === 'string' && data !== '') {
    // What requests says when asked to mix a text body with files.
    throw new Error('Data must not be a string.');
  }
  const boundary = randomBytes(16).toString('hex');
  const parts: Buffer[] = [];
  const part = (headers: string, content: string): void => {
    parts.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n'));
  };
  if (data !== undefined && data !== null && isPlainObject(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (value !== null) part(`Content-Disposition: form-data; name="${key}"`, pyStr(value));
    }
  }
  const typeLine = file.contentType ? `\r\nContent-Type: ${file.contentType}` : '';
  part(
    `Content-Disposition: form-data; name="${file.name}"; filename="${file.name}"${typeLine}`,
    file.content,
  );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { bytes: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
