// The search page: reads ?q=&offset= from the address bar, asks /api/search, shows the hits.
'use strict';

const PAGE_SIZE = 10;

const NOTES = {
  'all-words': (q) => `没有完全匹配“${q}”的结果，显示包含全部词语的结果。No exact match for “${q}”; showing results that contain all of its words.`,
  'some-words': (q) => `没有完全匹配“${q}”的结果，显示包含部分词语的结果。No exact match for “${q}”; showing results that contain some of its words.`,
};

const form = document.getElementById('search');
const input = document.getElementById('q');
const status = document.getElementById('status');
const note = document.getElementById('note');
const results = document.getElementById('results');
const pager = document.getElementById('pager');
const prev = document.getElementById('prev');
const next = document.getElementById('next');

// The query and offset on screen, for the pager.
const shown = { q: '', offset: 0 };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderHit(hit) {
  const item = element('li');
  item.append(element('div', 'title', hit.title || hit.id));
  const snippet = element('p', 'snippet');
  // The API escapes the snippet and marks matches with <mark>: safe to insert as HTML.
  snippet.innerHTML = hit.snippet;
  item.append(snippet);
  const meta = [hit.date, hit.reporters.length ? `记者 ${hit.reporters.join('、')}` : '', hit.source].filter(Boolean).join(' · ');
  item.append(element('div', 'meta', meta));
  return item;
}

function render(result, offset) {
  results.replaceChildren(...result.hits.map(renderHit));
  results.start = offset + 1;
  const range = result.hits.length ? `第 ${offset + 1}–${offset + result.hits.length} 条，` : '';
  status.textContent = `${range}共 ${result.total} 条结果（${result.took_ms} 毫秒）`;
  const explain = NOTES[result.match];
  note.hidden = !explain || result.total === 0;
  note.textContent = explain ? explain(result.query) : '';
  prev.disabled = offset === 0;
  next.disabled = offset + result.hits.length >= result.total;
  pager.hidden = result.total <= PAGE_SIZE;
}

async function search(q, offset) {
  shown.q = q;
  shown.offset = offset;
  status.textContent = '搜索中…';
  const params = new URLSearchParams({ q, limit: String(PAGE_SIZE), offset: String(offset) });
  try {
    const response = await fetch(`/api/search?${params}`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    render(body, offset);
  } catch (error) {
    results.replaceChildren();
    note.hidden = true;
    pager.hidden = true;
    status.textContent = `出错了 / Error: ${error.message}`;
  }
}

function go(q, offset) {
  const params = new URLSearchParams({ q });
  if (offset > 0) params.set('offset', String(offset));
  history.pushState(null, '', `?${params}`);
  search(q, offset);
}

function fromAddress() {
  const params = new URLSearchParams(location.search);
  const q = (params.get('q') || '').trim();
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  input.value = q;
  if (q) search(q, offset);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = input.value.trim();
  if (q) go(q, 0);
});
prev.addEventListener('click', () => go(shown.q, Math.max(0, shown.offset - PAGE_SIZE)));
next.addEventListener('click', () => go(shown.q, shown.offset + PAGE_SIZE));
window.addEventListener('popstate', fromAddress);

fromAddress();
