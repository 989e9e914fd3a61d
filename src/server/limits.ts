import { RequestHandler, Response } from 'express';

/** Longest request target (path and query string) the app reads, in bytes. A full query of 256 CJK characters with filters needs about 3 KB. */
export const MAX_URL_LENGTH = 8192;
/** Largest request body accepted: the API takes none, so anything bigger than a stray form is refused. */
export const MAX_BODY_BYTES = 16 * 1024;

function refuse(response: Response, status: number, message: string): void {
  response.status(status).json({ error: message });
}

/** Answers 413 and closes the connection afterwards, so that the rest of the body is never read. */
function tooLarge(response: Response, maxBytes: number): void {
  response.set('Connection', 'close');
  refuse(response, 413, `the request body is too large: at most ${maxBytes} bytes (the API takes no body)`);
}

/**
 * Refuses request targets longer than `maxLength` with 414, before any routing or
 * decoding spends time on them. (Node itself refuses a request whose whole header
 * block passes 16 KB; serve.ts answers that with 414 too when the URL is the cause.)
 */
export function urlLimit(maxLength = MAX_URL_LENGTH): RequestHandler {
  return (request, response, next) => {
    if (request.url.length > maxLength) return refuse(response, 414, `the URL is too long: at most ${maxLength} characters`);
    next();
  };
}

/**
 * Refuses request bodies over `maxBytes` with 413: at once when Content-Length says so,
 * otherwise (chunked) as soon as that many bytes have arrived. A smaller body is read
 * and dropped before routing, so that it never lingers on a kept-alive connection.
 */
export function bodyLimit(maxBytes = MAX_BODY_BYTES): RequestHandler {
  return (request, response, next) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBytes) return tooLarge(response, maxBytes);
    if (declared === 0 && request.headers['transfer-encoding'] === undefined) return next();
    let received = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes && !refused) {
        refused = true;
        tooLarge(response, maxBytes);
      }
    });
    request.on('end', () => {
      if (!refused) next();
    });
  };
}

/** True when the path and every `name=value` of the query string percent-decode (`+` standing for a space in the query). */
function decodable(url: string): boolean {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? '' : url.slice(at + 1);
  try {
    decodeURIComponent(path);
    for (const part of query.split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses with 400 a URL whose path or query string is not valid percent-encoded UTF-8
 * (`q=%E0%A4%A`, `q=%zz`, `/js/%`). Node's query parser would otherwise pass the bad
 * bytes on as U+FFFD or as typed, so that the search would silently run for something
 * else, and the static files would answer 404 instead of saying what is wrong.
 */
export function wellFormedUrl(): RequestHandler {
  return (request, response, next) => {
    if (!decodable(request.url)) return refuse(response, 400, 'bad request: the URL or its parameters could not be read');
    next();
  };
}

/**
 * Refuses with 400 an HTTP/1.1 request without a Host header, as HTTP/1.1 requires
 * (RFC 9112, section 3.2): the server turns Node's own check off, whose answer has no body.
 */
export function hostRequired(): RequestHandler {
  return (request, response, next) => {
    if (request.httpVersion === '1.1' && request.headers.host === undefined) {
      response.set('Connection', 'close');
      return refuse(response, 400, 'bad request: an HTTP/1.1 request must have a Host header');
    }
    next();
  };
}
