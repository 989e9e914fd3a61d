import type { Request, Response } from 'express';

/** The languages the page and the API's error reasons are written in. */
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The `lang` attribute value of each language (article text is always zh-CN). */
export const LANG_TAGS: Record<Language, string> = { zh: 'zh-CN', en: 'en' };

/** The cookie that remembers a language picked on the page (the server renders the page in it, so it must know it on the first request). */
export const LANGUAGE_COOKIE = 'jiansuo_lang';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language remembered in the request's cookie, if any. */
function cookieLanguage(request: Request): Language | undefined {
  const match = new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=([a-z]+)`).exec(request.headers.cookie ?? '');
  return match && isLanguage(match[1]) ? match[1] : undefined;
}

/**
 * The language to render the page in: `lang=zh|en` in the URL (remembered in a cookie for
 * the pages that follow), else the remembered choice, else the best of zh and en by
 * Accept-Language, Chinese when the browser prefers neither or says nothing.
 */
export function pageLanguage(request: Request, response: Response): Language {
  response.vary('Accept-Language');
  response.vary('Cookie');
  const asked = request.query.lang;
  if (isLanguage(asked)) {
    response.cookie(LANGUAGE_COOKIE, asked, { maxAge: ONE_YEAR_MS, sameSite: 'lax', path: '/' });
    return asked;
  }
  const chosen = cookieLanguage(request) ?? request.acceptsLanguages('zh', 'en');
  return isLanguage(chosen) ? chosen : 'zh';
}

/**
 * The language of an API error's reason: Chinese when Accept-Language prefers it to
 * English, else English (the API's reasons were English only, and a client that names no
 * language, e.g. curl, keeps getting them). The page always sends its own language.
 */
export function apiLanguage(request: Request): Language {
  return request.headers['accept-language'] && request.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en';
}
