/** People credited for a piece, split by role. */
export interface Credits {
  reporters: string[];
  correspondents: string[];
}

/** The dateline opening a lead paragraph: 本报讯, also 本报郑州讯 (not 本报记者…通讯…). */
const LEAD = /^本报(?:(?!记者)\p{Script=Han}{2,3})?讯/u;
/** The parenthesized byline right after the dateline; either kind of parenthesis. */
const BYLINE = /^\s*[（(]([^（()）]*)[）)]/;
/** A photo credit ending a caption: 本报记者 XXX 摄, names separated by spaces or 、. */
const PHOTO_CREDIT = /\s*本报记者\s*([^\s。！？!?，,；;：:、]+(?:[\s、]+[^\s。！？!?，,；;：:、]+)*?)\s*摄$/;
/** Role words of a byline and where the names after them go. */
const ROLES: ReadonlyArray<[string, keyof Credits]> = [
  ['特约通讯员', 'correspondents'],
  ['通讯员', 'correspondents'],
  ['本报记者', 'reporters'],
  ['见习记者', 'reporters'],
  ['特约记者', 'reporters'],
  ['摄影记者', 'reporters'],
  ['记者', 'reporters'],
];
/** Role words whose names are neither reporters nor correspondents. */
const UNATTRIBUTED_ROLE = /^(?:实习生|见习生)/;
/** Credit markers such as 文/图 that say what someone contributed, not who. */
const CREDIT_MARKER = /^(?:文|图|摄|文图|图文|摄影)(?:[/／](?:文|图|摄|摄影))*$/;

/** Whether a paragraph is the lead of an article: it begins with a 本报讯 dateline. */
export function isLead(paragraph: string): boolean {
  return LEAD.test(paragraph);
}

/**
 * The reporters and correspondents named in a lead's byline, e.g. `本报讯(记者 刘伟平
 * 通讯员 徐克镜)`. Names follow their role word (记者, 通讯员, …); markers such as 文/图 are
 * skipped, and names after 实习生 are not attributed. A lead without a
 * byline yields no names.
 */
export function leadCredits(lead: string): Credits {
  const credits: Credits = { reporters: [], correspondents: [] };
  const dateline = LEAD.exec(lead);
  const byline = dateline ? BYLINE.exec(lead.slice(dateline[0].length)) : null;
  if (!byline) return credits;
  let role: keyof Credits | undefined;
  for (const token of byline[1].split(/[\s、，,]+/).filter(Boolean)) {
    let name = token;
    const known = ROLES.find(([word]) => token.startsWith(word));
    if (known) {
      role = known[1];
      name = token.slice(known[0].length);
    } else if (UNATTRIBUTED_ROLE.test(token)) {
      role = undefined;
      continue;
    }
    if (role && name && !CREDIT_MARKER.test(name)) credits[role].push(name);
  }
  return credits;
}

/**
 * A lead without its dateline and byline: what the article says first. Used to derive a
 * headline for a lead that has none printed above it.
 */
export function leadText(lead: string): string {
  const dateline = LEAD.exec(lead);
  if (!dateline) return lead;
  const rest = lead.slice(dateline[0].length);
  const byline = BYLINE.exec(rest);
  return byline ? rest.slice(byline[0].length) : rest;
}

/**
 * Splits a photo caption into its text and photographers: `…活动。本报记者 孙志刚 摄` →
 * text `…活动。`, photographers [孙志刚]. Returns undefined when the paragraph does not end
 * with such a credit or has no text before it, i.e. is not a caption.
 */
export function splitCaption(paragraph: string): { text: string; photographers: string[] } | undefined {
  const match = PHOTO_CREDIT.exec(paragraph);
  if (!match || match.index === 0) return undefined;
  return { text: paragraph.slice(0, match.index), photographers: match[1].split(/[\s、]+/) };
}
