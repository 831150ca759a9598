/**
 * The live page's script (inline, plain ES2017): reads the server-sent events of `/events`,
 * lists each request (newest first), filters by rule, verdict, account and path, and shows a
 * request's detail. Data is only ever put in the page as text (`textContent`).
 */
export const LIVE_SCRIPT = `
(function () {
  'use strict';
  var all = [];
  var seen = {};
  var rules = {};
  var accounts = {};
  var selected = null;
  var tbody = document.getElementById('requests');
  var form = document.getElementById('filters');
  var detail = document.getElementById('detail');
  var conn = document.getElementById('conn');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function badge(cls, text) { return el('span', 'badge v-' + cls, text); }
  function failed(r) { return r.rules.some(function (x) { return x.verdict === 'fail' || x.verdict === 'error'; }); }
  function timeOf(r) { return (r.time || '').replace(/^.*T/, '').replace(/Z$/, ''); }

  function filters() {
    return { rule: form.elements.rule.value, verdict: form.elements.verdict.value, account: form.elements.account.value, path: form.elements.path.value.trim() };
  }
  function matches(r, f) {
    if (f.rule && !r.rules.some(function (x) { return x.ruleId === f.rule; })) return false;
    if (f.verdict === 'fail' && !failed(r)) return false;
    if (f.verdict === 'pass' && (failed(r) || r.rules.length === 0)) return false;
    if (f.verdict === 'rejected' && r.status < 400) return false;
    if (f.verdict === 'unhandled' && r.handled) return false;
    if (f.account && r.account !== f.account) return false;
    if (f.path && r.path.indexOf(f.path) < 0) return false;
    return true;
  }
  function counts() {
    var f = filters();
    var shown = 0, bad = 0;
    for (var i = 0; i < all.length; i++) { if (matches(all[i].data, f)) shown++; if (failed(all[i].data)) bad++; }
    document.getElementById('count-shown').textContent = String(shown);
    document.getElementById('count-all').textContent = String(all.length);
    document.getElementById('count-fail').textContent = bad + ' with a failed rule';
    document.getElementById('empty').style.display = all.length === 0 ? '' : 'none';
  }
  function applyAll() {
    var f = filters();
    for (var i = 0; i < all.length; i++) all[i].row.classList.toggle('hidden', !matches(all[i].data, f));
    counts();
  }
  function addOption(select, value) {
    var o = el('option', null, value);
    o.value = value;
    select.appendChild(o);
  }

  function ruleSummary(r) {
    var td = el('td');
    var pass = 0, fail = 0, other = 0;
    r.rules.forEach(function (x) { if (x.verdict === 'pass') pass++; else if (x.verdict === 'fail' || x.verdict === 'error') fail++; else other++; });
    if (fail > 0) td.appendChild(badge('fail', fail + ' fail'));
    if (pass > 0) { td.appendChild(document.createTextNode(' ')); td.appendChild(badge('pass', pass + ' pass')); }
    if (other > 0) { td.appendChild(document.createTextNode(' ')); td.appendChild(badge('skip', other + ' not judged')); }
    if (r.rules.length === 0) td.appendChild(el('span', 'muted small', 'no rule applies'));
    return td;
  }
  function row(r) {
    var tr = el('tr', 'fresh');
    tr.addEventListener('animationend', function () { tr.classList.remove('fresh'); });
    tr.setAttribute('data-seq', String(r.seq));
    tr.appendChild(el('td', 'num', r.seq));
    tr.appendChild(el('td', 'mono small', timeOf(r)));
    tr.appendChild(el('td', null, r.method));
    tr.appendChild(el('td', 'path', r.path));
    var status = el('td');
    status.appendChild(badge(r.status >= 400 || !r.handled ? 'fail' : 'pass', String(r.status) + (r.handled ? '' : ' unhandled')));
    if (r.reason) status.appendChild(el('div', 'small muted', r.reason));
    tr.appendChild(status);
    var cred = el('td', 'small');
    cred.appendChild(badge(r.credential.accepted ? 'pass' : (r.credential.kind === 'none' ? 'none' : 'fail'), r.credential.kind));
    var colon = r.credential.summary.indexOf(': ');
    cred.appendChild(el('div', 'small muted', colon >= 0 ? r.credential.summary.slice(colon + 2) : r.credential.summary));
    tr.appendChild(cred);
    tr.appendChild(el('td', 'account', r.account || ''));
    tr.appendChild(ruleSummary(r));
    tr.addEventListener('click', function () { show(r, tr); });
    return tr;
  }

  function kv(pairs) {
    var dl = el('dl', 'kv');
    pairs.forEach(function (p) { dl.appendChild(el('dt', null, p[0])); dl.appendChild(el('dd', 'mono', p[1])); });
    return dl;
  }
  function show(r, tr) {
    if (selected) selected.classList.remove('selected');
    selected = tr;
    tr.classList.add('selected');
    detail.textContent = '';
    detail.appendChild(el('h2', null, '#' + r.seq + ' ' + r.method + ' ' + r.path));
    var facts0 = [['url', r.url], ['time', r.time]];
    if (r.caseId) facts0.push(['case', r.caseId]);
    facts0.push(['status', r.status + (r.endpoint ? ' ' + r.endpoint : '') + (r.reason ? ' (' + r.reason + ')' : '') + (r.handled ? '' : ' unhandled')]);
    detail.appendChild(kv(facts0));
    detail.appendChild(el('h3', null, "The mock's verdict on the credential"));
    var c = el('p');
    c.appendChild(badge(r.credential.accepted ? 'pass' : (r.credential.kind === 'none' ? 'none' : 'fail'), r.credential.accepted ? 'accepted' : 'not accepted'));
    c.appendChild(document.createTextNode(' ' + r.credential.summary));
    detail.appendChild(c);
    var facts = Object.keys(r.credential.facts).map(function (k) { return [k, String(r.credential.facts[k])]; });
    if (facts.length > 0) detail.appendChild(kv(facts));
    detail.appendChild(el('h3', null, 'Rule verdicts (' + r.rules.length + ')'));
    if (r.rules.length === 0) detail.appendChild(el('p', 'empty', 'no journal rule applies to this request'));
    r.rules.forEach(function (x) {
      var d = el('div', 'rule');
      d.appendChild(badge(x.verdict, x.verdict));
      d.appendChild(el('span', 'mono', x.ruleId + (x.level ? ' (' + x.level + ')' : '')));
      d.appendChild(el('span', 'msg', x.message));
      detail.appendChild(d);
    });
    var shownValue = function (v) { return typeof v === 'string' ? v : JSON.stringify(v); };
    if ((r.lineage || []).length > 0) {
      detail.appendChild(el('h3', null, 'Token lineage'));
      var lin = el('div', 'lineage');
      lin.appendChild(kv(r.lineage.map(function (l) { return [l.path, shownValue(l.value)]; })));
      detail.appendChild(lin);
    }
    var extra = Object.keys(r.extra || {});
    if (extra.length > 0) {
      detail.appendChild(el('h3', null, 'More from the journal'));
      var box = el('div', 'lineage');
      box.appendChild(kv(extra.map(function (k) { return [k, shownValue(r.extra[k])]; })));
      detail.appendChild(box);
    }
    detail.appendChild(el('h3', null, 'Headers (' + Object.keys(r.headers).length + ', credentials as fingerprints)'));
    var table = el('table', 'headers');
    var body = el('tbody');
    Object.keys(r.headers).forEach(function (k) {
      var tr2 = el('tr');
      tr2.appendChild(el('td', null, k));
      tr2.appendChild(el('td', null, r.headers[k]));
      body.appendChild(tr2);
    });
    table.appendChild(body);
    detail.appendChild(table);
  }

  function add(r) {
    if (seen[r.seq]) return;
    seen[r.seq] = true;
    r.rules.forEach(function (x) { if (!rules[x.ruleId]) { rules[x.ruleId] = true; addOption(form.elements.rule, x.ruleId); } });
    if (r.account && !accounts[r.account]) { accounts[r.account] = true; addOption(form.elements.account, r.account); }
    var tr = row(r);
    all.push({ data: r, row: tr });
    tbody.insertBefore(tr, tbody.firstChild);
    tr.classList.toggle('hidden', !matches(r, filters()));
    counts();
  }

  form.addEventListener('input', applyAll);
  form.addEventListener('change', applyAll);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  counts();

  var source = new EventSource('events');
  source.addEventListener('open', function () { conn.textContent = 'live'; conn.className = 'badge v-pass'; });
  source.addEventListener('error', function () { conn.textContent = 'reconnecting…'; conn.className = 'badge v-skip'; });
  source.addEventListener('request', function (e) {
    try { add(JSON.parse(e.data)); } catch (err) { conn.textContent = 'bad event'; conn.className = 'badge v-error'; }
  });
})();
`;
