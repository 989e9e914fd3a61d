import type { Request, Response } from 'express';
import type { QueryErrorCode } from '../errors';
import { MAX_ID_BYTES } from '../ingest/id';
import { Language, apiLanguage } from './language';

/**
 * The stable `code` of an API error (`{"error": reason, "code": …}`): what went wrong, for
 * programs and for the page, whatever the language of the reason.
 */
export type ErrorCode =
  | QueryErrorCode
  | 'bad_parameter'
  | 'bad_id'
  | 'no_such_document'
  | 'no_such_endpoint'
  | 'busy'
  | 'overloaded'
  | 'unavailable'
  | 'bad_request'
  | 'refused'
  | 'internal';

/** Every error code, for the API description. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'query_empty',
  'query_too_long',
  'query_only_excludes',
  'query_no_terms',
  'filter_excluded',
  'bad_date',
  'unknown_field',
  'bad_sort',
  'bad_paging',
  'unsupported',
  'bad_parameter',
  'bad_id',
  'no_such_document',
  'no_such_endpoint',
  'busy',
  'overloaded',
  'unavailable',
  'bad_request',
  'refused',
  'internal',
];

/** What a Chinese reason may need to name: the query's length limit, a parameter, an id, a path. */
export interface ReasonDetails {
  limit?: number;
  parameter?: string;
  id?: string;
  path?: string;
}

/** Each code's reason in Chinese; the English one is the message the error was raised with. */
const CHINESE: Record<ErrorCode, (details: ReasonDetails) => string> = {
  query_empty: () => '查询是空的：请输入要搜索的字词。',
  query_too_long: ({ limit }) => `查询太长：最多 ${limit ?? 256} 个字符。`,
  query_only_excludes: () => '查询只排除了词语（-…）：请至少加一个要查找的词，或一个筛选条件（字段:值）。',
  query_no_terms: () => '查询里没有可以搜索的内容：请输入字词。',
  filter_excluded: () => '筛选条件不能用“-”排除：请改为筛选想要的值。',
  bad_date: () => '日期筛选无效：请写年份、月份或日期，或它们的范围，例如 2018、2018-05、2018-05-18、2018-01..2018-06，先写较早的日期。',
  unknown_field: () => '没有文章带有这个筛选字段：请从结果旁的分类里选择。',
  bad_sort: () => '排序方式只能是 relevance（相关度）、newest（最新）或 oldest（最早）。',
  unsupported: () => '这个搜索后端（Sphinx/Manticore 集群）还不支持这个选项。',
  bad_paging: () => 'limit 和 offset 必须是不小于 0 的整数。',
  bad_parameter: ({ parameter }) => `参数“${parameter ?? '?'}”的值无效：可用的取值见 GET /api/openapi.json。`,
  bad_id: () => `文章编号无效：编号不能为空白，最长 ${MAX_ID_BYTES} 字节（UTF-8）。`,
  no_such_document: ({ id }) => `没有编号为“${id ?? ''}”的文章。`,
  no_such_endpoint: ({ path }) => `没有这个 API 接口：${path ?? ''}；见 GET /api/openapi.json。`,
  busy: () => '等待执行的慢查询太多：请稍后再试，或换一个短一些的查询。',
  overloaded: () => '服务器负载过高，来不及处理请求：请稍后再试。',
  unavailable: () => '搜索后端暂时无法应答：请稍后再试。',
  bad_request: () => '无法读取这个请求：URL 或其参数有误。',
  refused: () => '请求被拒绝。',
  internal: () => '服务器内部出错。',
};

/** The reason for an error in `language`: `english` as raised, or the Chinese wording of its code. */
export function reason(code: ErrorCode, english: string, language: Language, details: ReasonDetails = {}): string {
  return language === 'zh' ? CHINESE[code](details) : english;
}

/**
 * Answers an API request with an error: `{"error": reason, "code": code}` and any `extra`
 * fields, the reason in the request's language (see apiLanguage), the code the same in
 * every language.
 */
export function sendError(request: Request, response: Response, status: number, code: ErrorCode, english: string, details?: ReasonDetails, extra: Record<string, string> = {}): void {
  response.vary('Accept-Language');
  response.status(status).json({ error: reason(code, english, apiLanguage(request), details), code, ...extra });
}
