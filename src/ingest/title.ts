import { charLength, isSentenceEnd } from './punctuation';

/** A derived title aims for this many characters at most … */
const TITLE_TARGET = 30;
/** … but a single clause up to this long is kept whole rather than cut mid-clause. */
const TITLE_CLAUSE_LIMIT = 40;
/** Clause separators: commas and colons, not the enumeration comma 、. */
const CLAUSE_SEPARATORS = '，,：:';
const OPENERS = '“‘「『《（(【';
const CLOSERS = '”’」』》）)】';
/** A leading clause that only says when ("昨日", "7月3日上午") and makes a poor headline. */
const TIME_CLAUSE =
  /^(?:昨日|昨天|今日|今天|前日|近日|日前|目前|当日|当天|近期|连日来|\d{1,2}月\d{1,2}日)(?:上午|下午|晚上|晚间|早上|凌晨|中午|傍晚)?$/;

interface Clause {
  start: number;
  end: number;
}

/**
 * A headline for text that has none printed (a photo caption, an article whose title is
 * on an earlier page): the first sentence, without a leading time clause like "近日",
 * shortened to about 30 characters by dropping whole clauses from its end. A first clause
 * longer than 40 characters is cut at 30 and marked with "…". Hits then show something
 * meaningful instead of an empty title.
 */
export function deriveTitle(text: string): string {
  const sentence = firstSentence(text.trim());
  const clauses = splitClauses(sentence);
  while (clauses.length > 1 && TIME_CLAUSE.test(sentence.slice(clauses[0].start, clauses[0].end))) {
    clauses.shift();
  }
  if (clauses.length === 0) return '';
  const start = clauses[0].start;
  let end = clauses[0].end;
  if (charLength(sentence.slice(start, end)) > TITLE_CLAUSE_LIMIT) {
    return `${[...sentence.slice(start, end)].slice(0, TITLE_TARGET).join('')}…`;
  }
  for (const clause of clauses.slice(1)) {
    if (charLength(sentence.slice(start, clause.end)) > TITLE_TARGET) break;
    end = clause.end;
  }
  return sentence.slice(start, end);
}

/** The text up to (not including) the first sentence-final punctuation. */
function firstSentence(text: string): string {
  const chars = [...text];
  const index = chars.findIndex(isSentenceEnd);
  return index < 0 ? text : chars.slice(0, index).join('');
}

/** Non-empty clauses between separators that are not inside quotes or brackets. */
function splitClauses(sentence: string): Clause[] {
  const clauses: Clause[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number): void => {
    const text = sentence.slice(start, end);
    const lead = text.length - text.trimStart().length;
    if (text.trim()) clauses.push({ start: start + lead, end: start + text.trimEnd().length });
  };
  for (let i = 0; i < sentence.length; i++) {
    const char = sentence[i];
    if (OPENERS.includes(char)) depth++;
    else if (CLOSERS.includes(char)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && CLAUSE_SEPARATORS.includes(char)) {
      push(i);
      start = i + 1;
    }
  }
  push(sentence.length);
  return clauses;
}
