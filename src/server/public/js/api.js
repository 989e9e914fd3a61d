// Talking to the JSON API.

import { LANG } from './messages.js';

/** A failed API call: `status` 0 when the server could not be reached, `message` the API's error text, `unsupported` the option a backend refused (see the API's Error). */
export class ApiError extends Error {
  constructor(status, message, unsupported) {
    super(message);
    this.status = status;
    this.unsupported = unsupported;
  }
}

/**
 * A channel of GET requests where only the latest one counts: starting a request
 * aborts the one before, so a slow answer to an old query never replaces a newer one.
 * `get` resolves with the parsed JSON, rejects with ApiError, and never settles for an
 * aborted request.
 */
export function latestOnly() {
  let controller;
  return {
    get(url) {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      return new Promise((resolve, reject) => {
        request(url, mine.signal).then(
          (body) => !mine.signal.aborted && resolve(body),
          (error) => !mine.signal.aborted && reject(error),
        );
      });
    },
    cancel() {
      controller?.abort();
    },
  };
}

async function request(url, signal) {
  let response;
  try {
    // The API words its error reasons in the language asked for: the page's, whatever the browser prefers.
    response = await fetch(url, { signal, headers: { Accept: 'application/json', 'Accept-Language': LANG } });
  } catch (error) {
    throw new ApiError(0, String(error));
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status || 500, response.statusText);
  }
  if (!response.ok) throw new ApiError(response.status, (body && body.error) || response.statusText, body && body.unsupported);
  return body;
}
